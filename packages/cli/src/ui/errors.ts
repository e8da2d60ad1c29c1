import { isSessionStoreError } from '@sessions/core';

/** An HTTP answer for a failure: the status and what the page shows. */
export interface ApiFailure {
  status: number;
  code: string;
  /** What went wrong, in words. */
  message: string;
  /** What to do about it. */
  hint: string;
}

const HINTS: Record<string, { status: number; hint: string }> = {
  NOT_FOUND: { status: 404, hint: 'It may have been deleted or have expired; go back to the list and reload.' },
  ALREADY_EXISTS: { status: 409, hint: 'Pick another session id.' },
  CONFLICT: { status: 409, hint: 'Someone wrote to the session meanwhile; reload it and try again.' },
  INVALID_ARGUMENT: { status: 400, hint: 'Check what you typed: ids, seqs and metadata must be valid.' },
  TOO_LARGE: { status: 413, hint: 'Make it smaller: metadata is limited to 64 KiB.' },
  UNAVAILABLE: { status: 503, hint: 'The store did not answer. Check that its server is running and reachable, then reload.' },
  DECRYPT_FAILED: { status: 500, hint: 'Start the inspector with the key this data was encrypted with (--encrypt-key-file).' },
  CLOSED: { status: 503, hint: 'The inspector is shutting down; start it again.' },
};

/** The answer for any error thrown while serving a request: never a stack trace. */
export function toApiFailure(error: unknown): ApiFailure {
  if (error instanceof HttpError) return { status: error.status, code: error.code, message: error.message, hint: error.hint };
  if (isSessionStoreError(error)) {
    const known = HINTS[error.code] ?? { status: 500, hint: 'See the inspector’s terminal for details.' };
    return { status: known.status, code: error.code, message: error.message.replace(/^\[sessions\] \[[^\]]*\] /, ''), hint: known.hint };
  }
  return { status: 500, code: 'INTERNAL', message: 'the inspector failed to answer this request', hint: 'See the inspector’s terminal for details, then reload.' };
}

/** A failure the inspector itself decides on (a bad route, read-only mode, a bad body). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
