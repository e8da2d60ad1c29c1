import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { findBinary } from './binaries.js';
import { LOOPBACK } from './free-port.js';

const run = promisify(execFile);

/** Runs one command through `redis-cli` against 127.0.0.1:`port` and returns its output. */
export async function redisCli(port: number, args: string[], timeoutMs = 5_000): Promise<string> {
  const { stdout } = await run(findBinary('redis-cli'), ['-h', LOOPBACK, '-p', String(port), ...args], {
    timeout: timeoutMs,
  });
  return stdout;
}

/** True when the server on `port` answers PING with PONG. */
export async function redisPing(port: number): Promise<boolean> {
  return (await redisCli(port, ['ping'])).trim() === 'PONG';
}

/** True when the node on `port` sees a healthy cluster of `size` nodes with every slot served. */
export async function clusterHealthy(port: number, size: number): Promise<boolean> {
  const info = await redisCli(port, ['cluster', 'info']);
  const field = (name: string) => new RegExp(`^${name}:(\\S+)`, 'm').exec(info)?.[1];
  return (
    field('cluster_state') === 'ok' &&
    field('cluster_slots_ok') === '16384' &&
    Number(field('cluster_known_nodes')) === size
  );
}
