import type { ServerProcess } from './server-process.js';

/** How long a server may take to answer its first ping before the start fails. */
export const DEFAULT_READY_TIMEOUT_MS = 90_000;

/** Raised when a server process exits before it became ready. */
export class ServerExitedError extends Error {
  constructor(
    readonly what: string,
    readonly output: string,
  ) {
    super(`[test-services] ${what} exited before it was ready. Its last output:\n${output.trim()}`);
  }
}

/**
 * Polls `check` (a real protocol ping) until it resolves true. Between attempts it backs off
 * from 20 ms to 250 ms; a readiness check never relies on a fixed sleep. Fails fast when
 * `process` exits, with its output.
 */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  options: { process?: ServerProcess; timeoutMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
  let delay = 20;
  for (;;) {
    if (options.process?.hasExited) throw new ServerExitedError(what, options.process.output());
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) {
      const output = options.process ? `\nIts last output:\n${options.process.output().trim()}` : '';
      throw new Error(`[test-services] ${what} was not ready after ${options.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS} ms.${output}`);
    }
    await Promise.race([new Promise((resolve) => setTimeout(resolve, delay)), options.process?.exited]);
    delay = Math.min(delay * 2, 250);
  }
}

/** True when a failed start was a port conflict, so a retry on another port may succeed. */
export function isAddressInUse(error: unknown): boolean {
  return error instanceof ServerExitedError && /address already in use|EADDRINUSE|failed to bind/i.test(error.output);
}
