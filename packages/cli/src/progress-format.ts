/** Counts of a transfer so far, or in all. */
export interface Counts {
  sessions: number;
  messages: number;
}

/** What a progress line shows. */
export interface ProgressState {
  label: string;
  /** Sessions and messages done (for a write: written plus passed over). */
  done: Counts;
  /** What there is to do, when known before the start (a counting pass); otherwise a spinner. */
  total?: Counts | undefined;
  /** Time since the work being measured began. */
  elapsedMs: number;
}

const BAR_WIDTH = 24;
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** No rate and no ETA before this much time and work: the first moments say nothing of the pace. */
const MIN_SAMPLE_MS = 500;

const n = (value: number) => value.toLocaleString('en-US');

/** `4s`, `1m05s`, `2h03m`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Messages per second over the whole run so far, once there is enough to measure. */
export function rate(state: ProgressState): number | undefined {
  if (state.elapsedMs < MIN_SAMPLE_MS || state.done.messages === 0) return undefined;
  return (state.done.messages * 1000) / state.elapsedMs;
}

/**
 * Time left at the pace so far: what remains of the known total over the average rate since
 * the start. `undefined` without a total or before the pace can be measured.
 */
export function eta(state: ProgressState): number | undefined {
  const perSecond = rate(state);
  if (!state.total || perSecond === undefined) return undefined;
  const left = Math.max(0, state.total.messages - state.done.messages);
  return (left / perSecond) * 1000;
}

/**
 * One terminal line: a bar with percent, counts of the total, rate and ETA when the total is
 * known; an honest spinner with counts and rate when it is not.
 */
export function formatProgress(state: ProgressState): string {
  const perSecond = rate(state);
  const speed = perSecond === undefined ? '' : ` | ${n(Math.round(perSecond))} msg/s`;
  const { done, total } = state;
  if (!total) {
    const frame = SPINNER[Math.floor(state.elapsedMs / 100) % SPINNER.length]!;
    return `${state.label} ${frame} ${n(done.messages)} messages | ${n(done.sessions)} sessions${speed}`;
  }
  const fraction = total.messages === 0 ? (total.sessions === 0 ? 1 : Math.min(1, done.sessions / total.sessions)) : Math.min(1, done.messages / total.messages);
  const filled = Math.round(fraction * BAR_WIDTH);
  const left = eta(state);
  return (
    `${state.label} [${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%` +
    ` ${n(done.messages)}/${n(total.messages)} messages | ${n(done.sessions)}/${n(total.sessions)} sessions${speed}` +
    ` | ETA ${left === undefined ? '…' : formatDuration(left)}`
  );
}
