/**
 * Errors that a user can cause (a bad file, a bad rule, a value that cannot be exported) cross
 * every boundary as data. `throw` is for bugs only.
 */
export interface UserError {
  /** Stable, dotted identifier, e.g. `filterset.version-too-new`. Scripts may match on it. */
  readonly code: string;
  /** One sentence saying what is wrong, naming the thing (rule, file, value) it is about. */
  readonly message: string;
  /** What the user can do about it, when there is something. */
  readonly hint?: string;
  /** 1-based position in the input the error came from, when it came from a file. */
  readonly line?: number;
  readonly column?: number;
}

export type Result<T, E = UserError> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function err<E = UserError>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}

export function userError(
  code: string,
  message: string,
  extra: { hint?: string; line?: number; column?: number } = {},
): UserError {
  return { code, message, ...extra };
}

/** For `switch` statements over unions: adding a member breaks the build until it is handled. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
