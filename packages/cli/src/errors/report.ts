import { CommanderError } from 'commander';
import { isSessionStoreError } from '@sessions/core';
import { CliError, EXIT } from '../cli-error.js';
import type { Secrets } from '../secrets.js';
import { safeJson, visible } from '../terminal/visible.js';
import { inCliTerms } from './cli-terms.js';
import { causeChain, describeOne, explainCause, innermostMessage } from './explain.js';

/** How an error is reported. */
export interface ReportOptions {
  stderr: NodeJS.WritableStream;
  verbose: boolean;
  json: boolean;
  secrets: Secrets;
}

/**
 * Reports a failed command on stderr and returns its exit code. One line says what is wrong in
 * words a user acts on (the cause explained when it is a known one, else the driver's own
 * message); `--verbose` adds every error of the cause chain and the stack; `--json` writes one
 * JSON object instead. Passwords and keys are hidden, control characters shown as escapes.
 */
export function reportError(error: unknown, options: ReportOptions): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message; help and version exit 0.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  const code = exitCodeOf(error);
  const clean = (text: string) => visible(options.secrets.scrub(text));
  const message = clean(inCliTerms(headline(error)));
  const chain = causeChain(error);
  if (options.json) {
    const storeError = chain.find((e) => isSessionStoreError(e));
    options.stderr.write(
      safeJson(
        {
          error: {
            message,
            code: isSessionStoreError(storeError) ? storeError.code : code === EXIT.usage ? 'USAGE' : 'ERROR',
            exitCode: code,
            ...(options.verbose && { causes: chain.map((e) => clean(describeOne(e))) }),
          },
        },
        0,
      ) + '\n',
    );
    return code;
  }
  options.stderr.write(`sessions: ${message}\n`);
  if (options.verbose) {
    if (chain.length > 1) options.stderr.write(`cause chain:\n${chain.map((e) => `  ${clean(describeOne(e))}`).join('\n')}\n`);
    const stack = error instanceof Error ? error.stack : undefined;
    if (stack) options.stderr.write(clean(stack).split('\n').slice(1).join('\n') + '\n');
  } else if (chain.length > 1) {
    options.stderr.write('(run again with --verbose for the cause chain)\n');
  }
  return code;
}

/**
 * The one line: what the error's cause means when it is a known one (a store error then reads
 * `the postgres store failed: <what to do>`, without the library's retry advice), else the
 * error's own message with the innermost cause's words when they add something.
 */
function headline(error: unknown): string {
  const own = error instanceof Error ? error.message : String(error);
  const explained = explainCause(error);
  if (explained) {
    if (isSessionStoreError(error) && error.code === 'UNAVAILABLE') return `the ${error.backend} store failed: ${explained}`;
    return `${own}: ${explained}`;
  }
  const inner = innermostMessage(error);
  if (inner && !own.includes(inner)) return `${own}: ${inner}`;
  return own;
}

function exitCodeOf(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (isSessionStoreError(error, 'INVALID_ARGUMENT')) return EXIT.usage;
  return EXIT.operational;
}
