/** Exit codes of `rythm-data` (documented in --help and the README). */
export const EXIT_OK = 0;
/** Validation errors, a failed job, an API refusal, an unreachable API. */
export const EXIT_FAILED = 1;
/** Unknown command or option, missing or malformed argument. */
export const EXIT_USAGE = 2;

/** The command line itself is wrong: exit 2, with a hint where to look. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose --help explains the fix (`export`, `backups restore`), if known. */
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Something did not work out (exit 1); the message says what to do about it. */
export class CliFailure extends Error {
  constructor(
    message: string,
    /** Machine-readable detail for --json output. */
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}
