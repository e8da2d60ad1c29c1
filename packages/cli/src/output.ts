import type { Writable } from 'node:stream';
import { safeJson, visible } from './terminal/visible.js';

/** Where a command writes, and in which form (`--json` for scripts, text for people). */
export interface Output {
  readonly json: boolean;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Writes one line of text (ignored in `--json` mode: use {@link Output.result}). */
  line(text?: string): void;
  /** Writes the command's result: JSON in `--json` mode, otherwise `text()` if given. */
  result(value: unknown, text?: () => string): void;
  /** A note on stderr (progress, hints): never mixed into stdout, so pipes stay clean. */
  note(text: string): void;
}

/**
 * Makes an {@link Output} over the given streams. Everything it writes goes through
 * {@link visible} (text) or {@link safeJson} (JSON): stored content may hold escape sequences,
 * and they are shown, never obeyed by the terminal.
 */
export function createOutput(json: boolean, stdout: Writable = process.stdout, stderr: Writable = process.stderr): Output {
  return {
    json,
    stdout,
    stderr,
    line(text = '') {
      if (!json) stdout.write(visible(text) + '\n');
    },
    result(value, text) {
      if (json) stdout.write(safeJson(value) + '\n');
      else if (text) stdout.write(visible(text()) + '\n');
    },
    note(text) {
      stderr.write(visible(text) + '\n');
    },
  };
}

/** Formats rows as aligned columns, for `ls` and `stats`. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [fmt(headers), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n');
}

/** A short, one-line rendering of a message for transcripts: who, and what, cut at `max` characters. */
export function summarizeMessage(message: Record<string, unknown>, max = 100): string {
  const type = typeof message['type'] === 'string' ? message['type'] : undefined;
  const who = typeof message['agent'] === 'string' ? `${String(message['role'] ?? 'assistant')} (${message['agent']})` : String(message['role'] ?? type ?? 'item');
  let text: string;
  if (type === 'function_call') {
    text = `${typeof message['agent'] === 'string' ? message['agent'] + ' calls ' : 'calls '}${String(message['name'])}(${typeof message['arguments'] === 'string' ? message['arguments'] : JSON.stringify(message['arguments'] ?? '')})`;
    return cut(`tool: ${text}`, max);
  }
  if (type === 'function_call_result') {
    const output = message['output'] as { text?: unknown } | string | undefined;
    text = typeof output === 'string' ? output : typeof output?.text === 'string' ? output.text : JSON.stringify(output);
    return cut(`tool result: ${text}`, max);
  }
  const content = message['content'];
  if (typeof content === 'string') text = content;
  else if (Array.isArray(content)) {
    text = content.map((part) => (typeof part === 'object' && part && 'text' in part ? String((part as { text: unknown }).text) : '')).join(' ');
  } else text = JSON.stringify(message);
  return cut(`${who}: ${text}`, max);
}

/** One line (newlines and runs of spaces become one space, so content cannot forge lines), at most `max` characters. */
function cut(text: string, max: number): string {
  const oneLine = visible(text.replace(/\s+/g, ' ').trim());
  return oneLine.length > max ? oneLine.slice(0, max - 1) + '…' : oneLine;
}
