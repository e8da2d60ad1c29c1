/** Exit codes of the `sessions` command. */
export const EXIT = { ok: 0, operational: 1, usage: 2 } as const;

/**
 * An error the command reports as one clear line (no stack trace unless `--verbose`).
 * `exitCode` 2 is a usage error (wrong arguments, a malformed URL), 1 an operational one.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = EXIT.operational,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A usage error (exit code 2). */
export function usageError(message: string): CliError {
  return new CliError(message, EXIT.usage);
}
