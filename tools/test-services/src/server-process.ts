import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { reaper } from './reaper.js';

/** What to run and as whom. */
export interface SpawnSpec {
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this OS user (needs root); PostgreSQL refuses to run as root. */
  uid?: number;
  gid?: number;
}

const OUTPUT_TAIL_BYTES = 8_192;

/**
 * Servers still running in this process. If the process exits without stopping them (an
 * uncaught error, a `process.exit()` in a test runner), they are killed on the way out rather
 * than left holding ports and memory.
 */
const live = new Set<ServerProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const server of live) server.signal('SIGKILL');
  });
}

/**
 * A server process in its own process group (detached), so a stop or a kill reaches every
 * process it forked. Its output is kept (the tail) for error messages.
 */
export class ServerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  #output = '';
  #exitCode: number | null | undefined;

  constructor(readonly spec: SpawnSpec) {
    this.child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      uid: spec.uid,
      gid: spec.gid,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.#output = (this.#output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_BYTES);
    };
    live.add(this);
    installExitHook();
    const pid = this.child.pid;
    if (pid !== undefined) reaper.watch(pid);
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error) => {
        live.delete(this);
        keep(Buffer.from(`\n${error.message}\n`));
        this.#exitCode = -1;
        resolve(-1);
      });
      this.child.once('exit', (code, signal) => {
        live.delete(this);
        if (pid !== undefined) reaper.forget(pid);
        this.#exitCode = code ?? (signal ? -1 : null);
        resolve(this.#exitCode);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True once the process is gone (or could not be spawned at all). */
  get hasExited(): boolean {
    return this.#exitCode !== undefined;
  }

  /** The last few KB the process printed. */
  output(): string {
    return this.#output;
  }

  /** Sends `signal` to the whole process group; a group that is already gone is fine. */
  signal(signal: NodeJS.Signals): void {
    if (this.pid === undefined || this.hasExited) return;
    try {
      process.kill(-this.pid, signal);
    } catch {
      // ESRCH: already gone.
    }
  }

  /**
   * Hard kill, like a crash: SIGKILL to the group and to any direct child that moved to a
   * group of its own (PostgreSQL backends call setsid()).
   */
  async kill(): Promise<void> {
    if (this.pid === undefined) return;
    const children = childPids(this.pid);
    this.signal('SIGKILL');
    for (const pid of children) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await this.exited;
    await waitForPidsGone(children);
  }

  /** Graceful stop with `signal`; SIGKILL when the process is still there after `graceMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 5_000): Promise<void> {
    if (this.hasExited) return;
    this.signal(signal);
    const timer = setTimeout(() => void this.kill(), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Direct children of `pid`, read from /proc (Linux). */
function childPids(pid: number): number[] {
  const result: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return result;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) comes after the ")" that closes the command name.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) result.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return result;
}

/** A zombie (killed, not yet reaped by its new parent) counts as gone. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function waitForPidsGone(pids: number[]): Promise<void> {
  // Killed processes whose parent is gone are reaped by init: poll until they are.
  for (let i = 0; i < 200 && pids.some(isAlive); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
