import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built bin the tests spawn, as users run it (`nx test cli` builds it first). */
export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/** What a run of the bin printed, and how it exited. */
export interface BinResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `sessions <args>` in a child process. */
export function runBin(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; nodeArgs?: string[]; timeoutMs?: number } = {},
): Promise<BinResult> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build the CLI first (npx nx build cli)`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, SESSIONS_STORE: '', SESSIONS_ENCRYPTION_KEY: '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
