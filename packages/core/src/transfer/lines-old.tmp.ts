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
 */
export async function* splitLines(source: LineSource): AsyncGenerator<NumberedLine> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let number = 0;
  for await (const chunk of source) {
    rest += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    let end: number;
    while ((end = rest.indexOf('\n', start)) !== -1) {
      number++;
      const text = rest.slice(start, end > start && rest.charCodeAt(end - 1) === 13 ? end - 1 : end);
      start = end + 1;
      if (text.trim() !== '') yield { text, number };
    }
    rest = rest.slice(start);
  }
  rest += decoder.end();
  if (rest.trim() !== '') yield { text: rest, number: number + 1 };
}
