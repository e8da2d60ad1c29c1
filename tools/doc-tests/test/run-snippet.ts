import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** How a snippet's process ended. */
export interface RunResult {
  /** The exit code, or `null` when a signal (or the timeout) ended it. */
  code: number | null;
  timedOut: boolean;
  /** stdout and stderr interleaved, the last {@link OUTPUT_LIMIT} characters. */
  output: string;
  ms: number;
}

/** How much of a snippet's output a failure shows. */
export const OUTPUT_LIMIT = 8_000;

const guard = pathToFileURL(join(import.meta.dirname, 'network-guard.ts')).href;

/**
 * Runs one snippet file as an application would run it: `node --import tsx`, workspace packages
 * from their sources (`@sessions/source`), in `cwd` (relative paths such as `./conversations.db`
 * land there). A snippet must exit by itself: one still running after `timeoutMs` (it left a
 * client open, a timer, a watch) is killed with its process group and reported as timed out.
 */
export function runSnippet(file: string, options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@sessions/source', '--import', 'tsx', '--import', guard, file], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group: the timeout kills whatever it started too
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      killGroup(); // anything the snippet spawned and left behind
      resolve({ code, timedOut, output, ms: Date.now() - started });
    });
  });
}
