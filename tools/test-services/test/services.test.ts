import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { isPortFree } from '../src/free-port.js';
import { redisPing } from '../src/redis-cli.js';
import { requireService } from '../src/require-service.js';
import { ensureServices, parseServices, SERVICE_NAMES } from '../src/services.js';

const run = promisify(execFile);
const withServices = join(import.meta.dirname, '..', 'bin', 'with-services.mjs');

describe('parseServices', () => {
  it('reads a comma list or "all", and names the valid services on a typo', () => {
    expect(parseServices('redis, postgres')).toEqual(['redis', 'postgres']);
    expect(parseServices('all')).toEqual([...SERVICE_NAMES]);
    expect(parseServices(undefined)).toEqual([]);
    expect(() => parseServices('redis,mysql')).toThrow(/unknown service "mysql".*redis, cluster, postgres, dynamo/);
  });
});

describe('ensureServices', () => {
  it('leaves a service alone when its env var is already set', async () => {
    const env: NodeJS.ProcessEnv = { SESSIONS_REDIS_URL: 'redis://elsewhere:1' };
    const started = await ensureServices(['redis'], { env, ci: true });
    expect(started).toEqual([]);
    expect(env.SESSIONS_REDIS_URL).toBe('redis://elsewhere:1');
  });

  it('marks a service whose binary is missing as unavailable outside CI, and fails in CI naming the binary', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const env: NodeJS.ProcessEnv = {};
      const warnings: string[] = [];
      expect(await ensureServices(['redis'], { env, ci: false, log: (line) => warnings.push(line) })).toEqual([]);
      expect(warnings.join('')).toMatch(/WARNING: could not start redis[\s\S]*SKIPPED/);
      expect(env.SESSIONS_REDIS_UNAVAILABLE).toMatch(/redis-server.*not found/);
      expect(env.SESSIONS_REDIS_URL).toBeUndefined();
      await expect(ensureServices(['redis'], { env: {}, ci: true })).rejects.toThrow(
        /CI=true[\s\S]*redis \(needs redis-server; install: apt-get install -y redis-server/,
      );
    } finally {
      process.env.PATH = path;
    }
  });
});

describe('global setup', () => {
  it('exports the URL of the service this package declared to the test workers', async () => {
    const url = requireService('redis');
    expect(url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(inject('SESSIONS_REDIS_URL')).toBe(url);
    expect(await redisPing(Number(new URL(String(url)).port))).toBe(true);
  });
});

describe('with-services', () => {
  it('runs the command with the env vars set, passes its exit code through, and stops the servers', async () => {
    const script = 'console.log(process.env.SESSIONS_REDIS_URL); process.exit(3)';
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'SESSIONS_REDIS_URL'));
    const result = await run(process.execPath, [withServices, '--services', 'redis', '--', 'node', '-e', script], { env }).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => error,
    );
    expect(result.code).toBe(3);
    const url = result.stdout.trim();
    expect(url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(await isPortFree(Number(new URL(url).port))).toBe(true);
  });
});
