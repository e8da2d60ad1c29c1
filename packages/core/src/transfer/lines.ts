import { StringDecoder } from 'node:string_decoder';

/** Text to read lines from: a Node `Readable`, or any (async) iterable of text or byte chunks. */
export type LineSource = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/** One line of input, without its line break, and its 1-based number. */
export interface NumberedLine {
  text: string;
  number: number;
}

/**
 * Splits chunks of UTF-8 text into lines (`\n` or `\r\n`). Chunks may break anywhere, even
 * inside a multi-byte character. Blank lines are skipped but counted, so numbers match an
 * editor's. A last line without a line break is yielded too.
 *
 * Linear in the input, however long a line is: each chunk is searched once, and the pieces of
 * an unfinished line are kept apart and joined once when its end arrives. (Appending each chunk
 * to the unfinished line and searching the whole of it again made one 32 MB line quadratic.)
 */
export async function* splitLines(source: LineSource): AsyncGenerator<NumberedLine> {
  const decoder = new StringDecoder('utf8');
  let pieces: string[] = [];
  let number = 0;
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    let end: number;
    while ((end = text.indexOf('\n', start)) !== -1) {
      number++;
      pieces.push(text.slice(start, end));
      const line = joinLine(pieces);
      pieces = [];
      start = end + 1;
      if (!isBlank(line)) yield { text: line, number };
    }
    if (start < text.length) pieces.push(start === 0 ? text : text.slice(start));
  }
  const tail = decoder.end();
  if (tail) pieces.push(tail);
  const last = joinLine(pieces);
  if (!isBlank(last)) yield { text: last, number: number + 1 };
}

/** The pieces of one line joined, without the `\r` of a `\r\n` line end. */
function joinLine(pieces: string[]): string {
  const line = pieces.length === 1 ? pieces[0]! : pieces.join('');
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** Whitespace only; stops at the first other character (a long line is not copied to trim it). */
function isBlank(line: string): boolean {
  return !/\S/.test(line);
}
