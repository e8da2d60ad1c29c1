/**
 * Characters a terminal may act on rather than show: C0 controls (ESC starts the sequences that
 * write the clipboard, erase lines, set the window title; BEL, backspace, carriage return, tab),
 * DEL, C1 controls (U+009B is a one-character CSI on some terminals), the bidirectional
 * overrides, embeddings and isolates that reorder what is shown, line and paragraph separators,
 * and the byte-order mark. `\n` is kept: callers split lines themselves.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]/g;

/** What JSON.stringify leaves raw that a terminal may act on (it escapes C0 itself). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]/g;

/** `\x1b`, `\x9b`, `\u202e`: how an unsafe character is shown. */
function escape(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * The text with every character a terminal would act on shown as an escape (`\x1b]52;...` reads
 * as text instead of writing the clipboard), newlines kept. Stored messages are written by
 * anyone who can talk to an agent, so nothing read from a store reaches the terminal raw.
 */
export function visible(text: string): string {
  return text.replace(UNSAFE, escape);
}

/**
 * JSON text of `value` (indented) with the characters JSON.stringify leaves raw and a terminal
 * may act on written as `\uXXXX` escapes: the same JSON value, safe to print.
 */
export function safeJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(UNSAFE_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
