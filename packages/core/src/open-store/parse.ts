import { SessionStoreError } from '../errors.js';

/** A store URL split into its scheme and the rest; each backend parses the rest its own way. */
export interface ParsedStoreUrl {
  /** Lower-case scheme without the colon: `redis`, `postgres`, `sqlite`, ... */
  scheme: string;
  /** The URL as given (trimmed). */
  text: string;
  /** Everything after `scheme:`, query string included. */
  rest: string;
  /** The query parameters (`?keyPrefix=app:&schema=tenant`). */
  params: URLSearchParams;
}

/** Splits a store URL into scheme, rest and query parameters. `INVALID_ARGUMENT` when it has no scheme. */
export function parseStoreUrl(input: string): ParsedStoreUrl {
  if (typeof input !== 'string') throw invalidUrl(String(input), 'it is not a string');
  const text = input.trim();
  const match = /^([a-z][a-z0-9+.-]*):/i.exec(text);
  if (!match) throw invalidUrl(text, 'it has no scheme (such as sqlite:, redis://, postgres://)');
  const scheme = match[1]!.toLowerCase();
  const rest = text.slice(match[0].length);
  const query = rest.indexOf('?');
  const params = new URLSearchParams(query === -1 ? '' : rest.slice(query + 1));
  return { scheme, text, rest, params };
}

/** The `INVALID_ARGUMENT` error for a store URL, with any password hidden. */
export function invalidUrl(text: string, why: string): SessionStoreError {
  return new SessionStoreError('INVALID_ARGUMENT', `store URL ${JSON.stringify(redactUrl(text))} is not valid: ${why}`, { backend: 'core' });
}

/**
 * The URL with the password of its user info, and any password-like query parameter, replaced
 * by `***`, for messages and logs. The user info runs to the last `@` in the URL, so a password
 * holding `@`, `/` or `:` is hidden whole; an `@` in the query then hides the host too, which
 * errs on the safe side.
 */
export function redactUrl(input: string): string {
  // A password may also travel as a query parameter (postgres.js accepts ?password=).
  input = input.replace(/([?&](?:password|pass|pwd|sslpassword|secret\w*|token)=)[^&#]*/gi, '$1***');
  const match = /^([a-z][a-z0-9+.-]*:\/\/)(.*)@([^@]*)$/is.exec(input);
  if (!match) return input;
  const [, scheme, userInfo, tail] = match;
  const colon = userInfo!.indexOf(':');
  if (colon === -1) return input;
  return `${scheme}${userInfo!.slice(0, colon)}:***@${tail}`;
}
