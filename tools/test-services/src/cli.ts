import { spawn, type ChildProcess } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { ensureServices, isCi, parseServices, SERVICE_NAMES, type StartedService } from './services.js';

const USAGE = 'usage: with-services [--services redis,cluster,postgres,dynamo] -- <command> [args...]';

/**
 * `with-services [--services a,b] -- <command>`: starts the services once, exports their env
 * vars, runs the command, stops the services when it ends (also on SIGINT/SIGTERM or a
 * failure) and exits with the command's exit code.
 */
export async function main(argv: string[]): Promise<number> {
  const separator = argv.indexOf('--');
  const own = separator === -1 ? [] : argv.slice(0, separator);
  const command = separator === -1 ? argv : argv.slice(separator + 1);
  const servicesFlag = own.indexOf('--services');
  const wanted = servicesFlag === -1 ? [...SERVICE_NAMES] : parseServices(own[servicesFlag + 1]);
  const [program, ...args] = command;
  if (program === undefined) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }

  let started: StartedService[] = [];
  const state: { child?: ChildProcess; interrupted?: NodeJS.Signals } = {};
  // Installed before the servers start: a Ctrl-C during start-up must still stop them.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      state.interrupted = signal;
      state.child?.kill(signal);
    });
  }

  const t0 = Date.now();
  try {
    started = await ensureServices(wanted, { ci: isCi() });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  process.stderr.write(
    `[test-services] ${started.map((s) => `${s.name} ${s.startMs} ms`).join(', ') || 'nothing to start'} (total ${Date.now() - t0} ms)\n`,
  );
  const stopAll = () => Promise.all(started.map((s) => s.stop())).then(() => undefined);
  if (state.interrupted !== undefined) {
    await stopAll();
    return 130;
  }

  // npm scripts put node_modules/.bin on PATH; direct runs get the workspace's too.
  const bin = join(import.meta.dirname, '..', '..', '..', 'node_modules', '.bin');
  const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };
  const running = spawn(program, args, { stdio: 'inherit', env });
  state.child = running;

  const code = await new Promise<number>((resolve) => {
    running.once('error', (error) => {
      process.stderr.write(`[test-services] could not run ${program}: ${error.message}\n`);
      resolve(127);
    });
    running.once('exit', (exitCode, signal) => {
      resolve(exitCode ?? (signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 1));
    });
  });
  await stopAll();
  return code;
}
