import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A new random access token: 32 bytes, URL-safe. */
export function newAccessToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * `true` when the request carries the token: in the `x-sessions-token` header (what the page
 * sends on every API call) or, for the page itself, downloads and the event stream, which a
 * browser opens without custom headers, in the `token` query parameter. Compared in constant time.
 */
export function hasToken(request: IncomingMessage, url: URL, token: string): boolean {
  const header = request.headers['x-sessions-token'];
  const given = typeof header === 'string' ? header : url.searchParams.get('token');
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `true` when the `Host` header names this server as the user opened it. A page on another
 * site cannot read our answers (no CORS headers), but DNS rebinding would let it send them
 * to its own name resolving to 127.0.0.1: refusing other host names closes that door.
 */
export function hostAllowed(request: IncomingMessage, allowedHosts: ReadonlySet<string>): boolean {
  const host = request.headers.host;
  return typeof host === 'string' && allowedHosts.has(host.toLowerCase());
}

/**
 * `true` for a mutating request that a browser could only send from our own page: it must
 * carry the token in the header (never only in the URL, which may end up in history or logs).
 */
export function headerTokenPresent(request: IncomingMessage): boolean {
  return typeof request.headers['x-sessions-token'] === 'string';
}
