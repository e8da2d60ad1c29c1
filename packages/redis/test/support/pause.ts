import type { Redis } from 'ioredis';

/** The pid of the redis-server behind `client` (from `INFO server`), to freeze it with SIGSTOP. */
export async function serverPid(client: Redis): Promise<number> {
  const info = await client.info('server');
  const pid = Number(/process_id:(\d+)/.exec(info)?.[1]);
  if (!Number.isInteger(pid)) throw new Error('INFO server has no process_id');
  return pid;
}

/** Freezes a server as a long pause or a partition would: it keeps its sockets and answers nothing. */
export function freeze(pid: number): void {
  process.kill(pid, 'SIGSTOP');
}

/** Resumes a server frozen by {@link freeze}. */
export function thaw(pid: number): void {
  process.kill(pid, 'SIGCONT');
}
