// Bad command-line input: the tool prints the message and the usage text, and exits 64 (EX_USAGE).
export const EX_USAGE = 64;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}
