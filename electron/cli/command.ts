/**
 * One CLI subcommand. `electron/cli.ts` dispatches `logsieve <name> ...` to the command with that
 * name. Exit codes are a contract: 0 success, 1 a file could not be read or a problem in the input
 * (the message says which), 2 bad usage (the usage text goes to stderr).
 */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
}

export interface CliCommand {
  readonly name: string;
  /** One line for the top-level help. */
  readonly summary: string;
  /** Full usage text, printed on bad usage (exit 2). */
  readonly usage: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Thrown by argument parsing; the dispatcher prints the message and the command's usage, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
