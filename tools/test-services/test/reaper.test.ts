import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPortFree } from '../src/free-port.js';
import { redisPing } from '../src/redis-cli.js';
import { waitUntil } from '../src/wait-until.js';

const tsx = join(import.meta.dirname, '..', '..', '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
const fixture = join(import.meta.dirname, 'fixtures', 'start-redis-and-hang.ts');

describe('reaper', () => {
  it('kills the servers of a process that was SIGKILLed before it could stop them', async () => {
    // tsx runs the fixture in a child node process of its own: kill the whole group.
    const child = spawn(process.execPath, [tsx, fixture], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /PORT=(\d+)/.exec(out);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`the fixture exited with ${code} before printing its port`)));
    });
    expect(await redisPing(port)).toBe(true);

    process.kill(-(child.pid ?? 0), 'SIGKILL');
    await waitUntil('the orphaned redis-server to be killed', () => isPortFree(port), { timeoutMs: 15_000 });
    expect(await redisPing(port).catch(() => false)).toBe(false);
  });
});
