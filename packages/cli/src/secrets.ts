import { redactUrl } from '@sessions/core';

/** Secrets shorter than this are not searched for in text (a 2-letter one would blank out words); URL redaction still hides them. */
const MIN_SCRUBBED_LENGTH = 4;

/** A URL-looking word: scheme `://`, then anything up to white space or a quote. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'`<>]+/gi;

/**
 * The secrets of one run (store URL passwords, encryption keys), hidden from everything the
 * command prints about errors: a driver's message may quote a connection string, and a cause
 * chain shown with `--verbose` may carry anything.
 */
export class Secrets {
  private readonly values = new Set<string>();

  /** Hides `value` (and its URL-decoded form) from now on. */
  add(value: string | undefined): void {
    if (!value) return;
    for (const form of [value, safeDecode(value)]) if (form.length >= MIN_SCRUBBED_LENGTH) this.values.add(form);
  }

  /** Hides the password of a store URL; the user info runs to the last `@`, as in {@link redactUrl}. */
  addUrl(url: string): void {
    const match = /^[a-z][a-z0-9+.-]*:\/\/(.*)@[^@]*$/is.exec(url.trim());
    const userInfo = match?.[1];
    const colon = userInfo?.indexOf(':') ?? -1;
    if (userInfo !== undefined && colon !== -1) this.add(userInfo.slice(colon + 1));
  }

  /** `text` with every URL's password replaced by `***` and every known secret by `***`. */
  scrub(text: string): string {
    let out = text.replace(URL_IN_TEXT, (url) => redactUrl(url));
    // Longest first, so a secret that contains another is hidden whole.
    for (const secret of [...this.values].sort((a, b) => b.length - a.length)) out = out.split(secret).join('***');
    return out;
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
