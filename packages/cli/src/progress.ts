import cliProgress from 'cli-progress';
import type { Output } from './output.js';

/** Progress of a long command (copy, export, import). */
export interface Progress {
  /** Adds to the counts; `total` grows when more work becomes known. */
  update(counts: { sessions: number; messages: number }): void;
  stop(): void;
}

/**
 * A progress bar on stderr when it is a terminal (and not `--json`), otherwise a plain line
 * every `every` messages, so logs of scripted runs stay readable.
 */
export function createProgress(output: Output, label: string, total?: number, every = 10_000): Progress {
  const stream = output.stderr as NodeJS.WriteStream;
  if (stream.isTTY && !output.json) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {value}${total ? '/{total}' : ''} messages | {sessions} sessions | {eta_formatted}`,
        stream,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total ?? 0, 0, { sessions: 0 });
    return {
      update({ sessions, messages }) {
        if (!total && messages > bar.getTotal()) bar.setTotal(messages);
        bar.update(messages, { sessions });
      },
      stop: () => bar.stop(),
    };
  }
  let next = every;
  let last = { sessions: 0, messages: 0 };
  return {
    update(counts) {
      last = counts;
      if (counts.messages >= next) {
        output.note(`${label}: ${counts.sessions} sessions, ${counts.messages} messages`);
        next = counts.messages + every;
      }
    },
    stop() {
      output.note(`${label}: done, ${last.sessions} sessions, ${last.messages} messages`);
    },
  };
}
