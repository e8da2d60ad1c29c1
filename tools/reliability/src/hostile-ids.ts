/** One hostile id and whether the contract (rule 7) accepts it. */
export interface HostileId {
  label: string;
  value: string;
  /** `true` when the id is legal: 1 to 512 code points after trimming, no control characters, well-formed. */
  legal: boolean;
}

const legal = (label: string, value: string): HostileId => ({ label, value, legal: true });
const illegal = (label: string, value: string): HostileId => ({ label, value, legal: false });

/**
 * Ids that try to break a key, a glob, a hash tag, a SQL statement or a LIKE pattern, or to
 * slip past the length and character checks. The legal ones must be stored safely and come
 * back exactly (trimmed); the others must be rejected with INVALID_ARGUMENT.
 */
export const HOSTILE_IDS: readonly HostileId[] = [
  // key and glob characters (Redis key layout, SCAN patterns)
  legal('glob star', '*'),
  legal('glob question mark', '?'),
  legal('glob class', '[a-z]'),
  legal('glob everything', '*?[]{}:'),
  legal('escaped glob', '\\*'),
  legal('colon separators', 'victim:s:chat-1'),
  legal('key-looking suffix', 'a}:m:b'),
  // Redis Cluster hash tags
  legal('hash tag', '{victim}'),
  legal('empty hash tag', '{}'),
  legal('unbalanced brace', '{victim'),
  legal('closing brace', 'victim}'),
  legal('nested tags', '{{victim}}'),
  // SQL
  legal('single quote', "'"),
  legal('sql tautology', "' OR '1'='1"),
  legal('sql drop', "x'); DROP TABLE sessions; --"),
  legal('double quote', '"'),
  legal('comment', '--'),
  legal('semicolon', ';'),
  legal('percent', '%'),
  legal('underscore', '_'),
  legal('like pattern', 'vic%'),
  legal('backslash', '\\'),
  legal('dollar quote', '$$'),
  // DynamoDB key separators and expression syntax
  legal('hash sign', '#'),
  legal('expression placeholder', ':v'),
  legal('attribute name', '#PK'),
  legal('pipe', '|'),
  legal('slash', 'a/b'),
  // control characters and malformed unicode
  illegal('NUL', 'a\u0000b'),
  illegal('NUL alone', '\u0000'),
  illegal('newline inside', 'a\nb'),
  illegal('tab inside', 'a\tb'),
  illegal('escape', 'a\u001bb'),
  illegal('DEL', 'a\u007fb'),
  illegal('C1 control', 'a\u0085b'),
  illegal('lone high surrogate', 'a\ud800b'),
  illegal('lone low surrogate', '\udc00'),
  // lengths
  legal('512 characters', 'x'.repeat(512)),
  illegal('513 characters', 'x'.repeat(513)),
  legal('512 emoji (1024 UTF-16 units)', '😀'.repeat(512)),
  illegal('513 emoji', '😀'.repeat(513)),
  legal('512 four-byte characters of long UTF-8', '𝄞'.repeat(512)),
  legal('512 three-byte characters', '語'.repeat(512)),
  illegal('empty', ''),
  illegal('blank', '   '),
  // whitespace and direction marks
  legal('padded', '  padded  '),
  legal('padded to 512 after trim', ` ${'p'.repeat(512)} `),
  legal('inner spaces', 'a b  c'),
  legal('right-to-left mark', '\u200fvictim'),
  legal('right-to-left override', 'abc\u202edef'),
  legal('zero-width joiner', 'a\u200db'),
  legal('byte order mark', '\ufeffid'),
  legal('non-breaking space inside', 'a\u00a0b'),
  // unicode
  legal('emoji', '🙂'),
  legal('flag and family emoji', '🇫🇷👨‍👩‍👧'),
  legal('combining marks', 'e\u0301'),
  legal('precomposed twin', '\u00e9'),
  legal('CJK', '会话'),
  legal('case twin', 'VICTIM'),
  legal('looks like a number', '0'),
  legal('looks like null', 'null'),
  legal('prototype name', '__proto__'),
  legal('constructor name', 'constructor'),
  legal('json text', '{"a":1}'),
];
