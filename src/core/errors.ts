/** An error caused by the caller's input: shown as-is, answered 400, exit code 2. */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/** Something the caller named does not exist: answered 404. */
export class NotFoundError extends UserError {}
