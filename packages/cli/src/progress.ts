import type { Output } from './output.js';
import { formatDuration, formatProgress, type Counts } from './progress-format.js';

/** Counts a transfer reports; `skippedMessages` (already in the target) count as done too. */
export interface ProgressUpdate extends Counts {
  skippedMessages?: number;
}

/** Progress of a long command (copy, export, import) on stderr. */
export interface Progress {
  /** Whether a total is worth counting first: only a drawn bar shows it. */
  readonly drawn: boolean;
  /** Starts a stage (`checking`, then the work): counts restart, and the total is known or not. */
  stage(label: string, total?: Counts): void;
  update(counts: ProgressUpdate): void;
  /** Ends the line; a summary follows unless the work `failed` (the error says what happened). */
  stop(failed?: boolean): void;
}

/** Redraws at most this often: a terminal drawing every page would slow the transfer down. */
const FRAME_MS = 100;

/**
 * A progress line on stderr when it is a terminal: a bar with its total and an ETA once the
 * total is known, a spinner with counts before. Otherwise (a log, a pipe) a plain line every
 * `every` messages and one at the end, so logs of scripted runs stay readable. Nothing with
 * `--json`.
 */
export function createProgress(output: Output, label: string, every = 10_000, now: () => number = () => performance.now()): Progress {
  // With --json, stderr carries nothing but an error object, so scripts can parse it.
  if (output.json) return { drawn: false, stage: () => undefined, update: () => undefined, stop: () => undefined };
  const stream = output.stderr as NodeJS.WriteStream;
  const drawn = Boolean(stream.isTTY);
  let stageLabel = label;
  let total: Counts | undefined;
  let started = now();
  const firstStart = started;
  let done: Counts = { sessions: 0, messages: 0 };
  let lastFrame = -Infinity;
  let nextNote = every;
  const draw = () => {
    const line = formatProgress({ label: stageLabel, done, total, elapsedMs: now() - started });
    stream.write(`\r${line}\x1b[K`);
  };
  return {
    drawn,
    stage(name, stageTotal) {
      stageLabel = name;
      total = stageTotal;
      started = now();
      done = { sessions: 0, messages: 0 };
      nextNote = every;
      if (drawn) draw();
    },
    update(counts) {
      done = { sessions: counts.sessions, messages: counts.messages + (counts.skippedMessages ?? 0) };
      if (drawn) {
        if (now() - lastFrame < FRAME_MS) return;
        lastFrame = now();
        draw();
      } else if (done.messages >= nextNote) {
        output.note(`${stageLabel}: ${done.sessions} sessions, ${done.messages}${total ? ` of ${total.messages}` : ''} messages`);
        nextNote = done.messages + every;
      }
    },
    stop(failed = false) {
      if (drawn) {
        draw();
        stream.write('\n');
      }
      if (!failed) output.note(`${label}: done, ${done.sessions} sessions, ${done.messages} messages in ${formatDuration(now() - firstStart)}`);
    },
  };
}
