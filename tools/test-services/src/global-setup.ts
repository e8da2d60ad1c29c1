import type { TestProject } from 'vitest/node';
import type { ServiceContextKey } from './provided-context.js';
import { ensureServices, parseServices, SERVICE_ENV } from './services.js';

/**
 * vitest global setup: starts the services the package asked for (`services` in
 * `sharedTestConfig`, which sets `SESSIONS_SERVICES`) unless their env vars are already set,
 * exports the vars to the workers (process.env before they spawn, and `provide`), and stops
 * what it started in teardown.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const wanted = parseServices(project.config.env?.SESSIONS_SERVICES ?? process.env.SESSIONS_SERVICES);
  const started = await ensureServices(wanted);
  for (const name of wanted) {
    for (const key of [SERVICE_ENV[name].value, SERVICE_ENV[name].unavailable] as const) {
      const value = process.env[key];
      if (value !== undefined) project.provide(key as ServiceContextKey, value);
    }
  }
  return async () => {
    await Promise.all(started.map((service) => service.stop()));
  };
}
