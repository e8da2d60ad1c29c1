import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Kills this process's servers if it dies without stopping them, even by SIGKILL (a test
 * runner's timeout, an out-of-memory kill), when no exit hook can run. A small detached shell
 * polls for this process once a second; when it is gone, it SIGKILLs every process group
 * listed in a file that this process keeps up to date.
 */
class Reaper {
  readonly #groups = new Set<number>();
  readonly #file = join(tmpdir(), `sessions-reaper-${process.pid}.pids`);
  #started = false;

  /** Adds a server's process group to the list. */
  watch(pgid: number): void {
    this.#groups.add(pgid);
    this.#write();
    if (!this.#started) this.#start();
  }

  /** Removes a process group that has exited. */
  forget(pgid: number): void {
    if (!this.#groups.delete(pgid)) return;
    this.#write();
  }

  #write(): void {
    try {
      if (this.#groups.size === 0) rmSync(this.#file, { force: true });
      else writeFileSync(this.#file, [...this.#groups].join('\n'));
    } catch {
      // Best effort: the exit hook and stop() remain the main cleanup.
    }
  }

  #start(): void {
    this.#started = true;
    const pid = process.pid;
    // A killed process whose parent does not reap it stays a zombie, which `kill -0` still
    // finds: on Linux, read its state from /proc instead. (dash's kill takes no `--`.)
    const script = [
      `if [ -r /proc/${pid}/stat ]; then`,
      `  alive() { s=$(sed 's/^.*) \\(.\\).*$/\\1/' /proc/${pid}/stat 2>/dev/null) && [ "$s" != Z ]; }`,
      'else',
      `  alive() { kill -0 ${pid} 2>/dev/null; }`,
      'fi',
      'while alive; do sleep 1; done',
      `if [ -f '${this.#file}' ]; then for g in $(cat '${this.#file}'); do kill -KILL -"$g" 2>/dev/null; done; rm -f '${this.#file}'; fi`,
    ].join('\n');
    try {
      const watcher = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
      watcher.on('error', () => undefined);
      watcher.unref();
    } catch {
      // No sh: rely on the exit hook.
    }
  }
}

/** The reaper of this process. */
export const reaper = new Reaper();
