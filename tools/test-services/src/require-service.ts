import { describe, inject, it } from 'vitest';
import type { ServiceContextKey } from './provided-context.js';
import { isCi, SERVICE_ENV, type ServiceName } from './services.js';

// Re-exported so that importing this file also loads the ProvidedContext augmentation.
export type { ServiceContextKey };

function injected(key: string): string | undefined {
  try {
    return inject(key as ServiceContextKey);
  } catch {
    return undefined;
  }
}

const warned = new Set<ServiceName>();

/**
 * The address of a service for a test file: `SESSIONS_REDIS_URL` and friends (see README).
 * When the service is unavailable it throws in CI, and elsewhere prints a loud warning and
 * returns `undefined` so the caller can skip (`describe.skipIf(!url)`).
 */
export function requireService(name: ServiceName): string | undefined {
  const vars = SERVICE_ENV[name];
  const value = process.env[vars.value] || injected(vars.value);
  if (value) return value;
  const reason =
    process.env[vars.unavailable] ||
    injected(vars.unavailable) ||
    `${vars.value} is not set: add services: ['${name}'] to sharedTestConfig in vitest.config.ts, or run under tools/test-services/bin/with-services.mjs`;
  if (isCi()) throw new Error(`[test-services] ${name} is required in CI but unavailable: ${reason}`);
  if (!warned.has(name)) {
    warned.add(name);
    process.stderr.write(`\n!!!!! [test-services] SKIPPING ${name} tests: ${reason}\n\n`);
  }
  return undefined;
}

/**
 * `describe(title, ...)` with the service's address, or a visibly skipped suite when the
 * service is unavailable (a failure in CI).
 */
export function describeWithService(name: ServiceName, title: string, body: (value: string) => void): void {
  const value = requireService(name);
  if (value === undefined) {
    describe.skip(`${title} (${name} unavailable)`, () => {
      it(`needs ${SERVICE_ENV[name].value}`, () => undefined);
    });
    return;
  }
  describe(title, () => body(value));
}
