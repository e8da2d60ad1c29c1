import type { HealthStatus } from '@sessions/core';
import type { RedisClient } from './options.js';

/**
 * PINGs the server (a cluster: one of its nodes) and reports how long the reply took. Never
 * throws: a failure or no reply within `timeoutMs` is `ok: false` with the reason, because
 * ioredis may keep a command queued for a long time while it reconnects.
 */
export async function pingHealth(client: RedisClient, timeoutMs: number): Promise<HealthStatus> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no PING reply within ${timeoutMs} ms (option healthTimeoutMs)`)), timeoutMs);
  });
  try {
    await Promise.race([client.ping(), timeout]);
    return { ok: true, latencyMs: performance.now() - started };
  } catch (error) {
    return { ok: false, latencyMs: performance.now() - started, detail: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
