import type { UserError } from '../../shared/result';

/** Thrown to callers for problems they caused (unknown file, bad argument); carries a UserError. */
export class SessionError extends Error {
  constructor(readonly userError: UserError) {
    super(userError.message);
    this.name = 'SessionError';
  }
}
