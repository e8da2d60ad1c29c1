import { randomUUID } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { InMemorySessionStore, MemoryBacking, registerStoreScheme } from '@sessions/core';
import { runCli } from '../../src/cli.js';

/** What an in-process run printed, and its exit code. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `sessions <args>` in this process, with its own streams (stderr is not a terminal). */
export async function runInProcess(args: string[], input = ''): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const code = await runCli(args, { stdout, stderr, stdin: Readable.from([input]) });
  return { code, stdout: out, stderr: err };
}

/**
 * A store URL of a scheme registered for one test file: every command opening it gets a store
 * over the same in-memory data (a real store, as `memory:` is, that outlives each command).
 */
export function sharedMemoryStore(): { url: string; store: () => InMemorySessionStore } {
  const backing = new MemoryBacking();
  const scheme = `cli-test-${randomUUID().slice(0, 8)}`;
  registerStoreScheme([scheme], (_url, options) => new InMemorySessionStore({ ...options, backing }));
  return { url: `${scheme}:`, store: () => new InMemorySessionStore({ backing }) };
}
