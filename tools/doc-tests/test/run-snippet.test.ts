import { createServer, type Server } from 'node:net';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSnippet } from './run-snippet.js';

// Inside the workspace, like the snippets: `tsx` and workspace packages resolve from here.
const dir = join(import.meta.dirname, '..', '.generated', `self-test-${process.pid}`);
let server: Server;
let port = 0;

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  server = createServer((socket) => socket.end('hello'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function snippet(name: string, code: string): string {
  writeFileSync(join(dir, name), code);
  return join(dir, name);
}

const connectTo = (host: string, to: number) => `
import net from 'node:net';
const socket = net.connect(${to}, '${host}');
socket.on('data', (data) => { console.log(String(data)); socket.end(); });
socket.on('error', (error) => { console.error(error.message); process.exitCode = 3; });
`;

describe('runSnippet', () => {
  it('runs a snippet that reaches an allowed port', async () => {
    const result = await runSnippet(snippet('ok.ts', connectTo('127.0.0.1', port)), { cwd: dir, env: { ...process.env, DOC_TESTS_ALLOWED_PORTS: String(port) }, timeoutMs: 30_000 });
    expect(result).toMatchObject({ code: 0, timedOut: false });
    expect(result.output).toContain('hello');
  });

  it.each([
    ['a standard port', '127.0.0.1', 6379],
    ['another host', '10.0.0.1', 7000],
  ])('refuses %s before connecting', async (_what, host, to) => {
    const result = await runSnippet(snippet(`refused-${to}.ts`, connectTo(host, to)), { cwd: dir, env: { ...process.env, DOC_TESTS_ALLOWED_PORTS: String(port) }, timeoutMs: 30_000 });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(`[doc-tests] refused a connection to ${host}:${to}`);
  });

  it('kills a snippet that does not exit, and says so', async () => {
    const result = await runSnippet(snippet('hangs.ts', 'setInterval(() => undefined, 1000);\n'), { cwd: dir, env: process.env, timeoutMs: 3_000 });
    expect(result).toMatchObject({ code: null, timedOut: true });
  });

  it('reports a failing snippet with its output', async () => {
    const result = await runSnippet(snippet('throws.ts', "throw new Error('the doc is wrong');\n"), { cwd: dir, env: process.env, timeoutMs: 30_000 });
    expect(result.code).toBe(1);
    expect(result.output).toContain('the doc is wrong');
  });
});
