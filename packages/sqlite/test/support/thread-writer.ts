/**
 * Threads of one process appending to one session of one file: the main thread starts
 * `threads` worker threads, each with its own store (its own connection), waits for them and
 * prints one JSON line `{ appended }`. A worker appends `count` messages `{ writer, i }`.
 *
 * node --conditions=@sessions/source --import tsx thread-writer.ts <file> <firstWriter> <threads> <count>
 */
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import { SqliteSessionStore } from '@sessions/sqlite';

interface Job {
  file: string;
  writer: number;
  count: number;
}

if (isMainThread) {
  const [file, firstArg, threadsArg, countArg] = process.argv.slice(2);
  const jobs: Job[] = Array.from({ length: Number(threadsArg) }, (_, k) => ({ file: file!, writer: Number(firstArg) + k, count: Number(countArg) }));
  await Promise.all(
    jobs.map(
      (job) =>
        new Promise<void>((resolve, reject) => {
          // A worker does not inherit the main thread's TypeScript loader: it registers tsx's,
          // then loads this file.
          const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
          const worker = new Worker(boot, { eval: true, workerData: job, execArgv: ['--conditions=@sessions/source'] });
          worker.on('error', reject);
          worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`thread ${job.writer} exited with ${code}`))));
        }),
    ),
  );
  process.stdout.write(`${JSON.stringify({ appended: jobs.length * Number(countArg) })}\n`);
} else {
  const { file, writer, count } = workerData as Job;
  const store = new SqliteSessionStore({ path: file });
  for (let i = 0; i < count; i++) await store.append('user', 'shared', { writer, i }, i % 2 ? { idempotencyKey: `t${writer}-m${i}` } : {});
  await store.close();
}
