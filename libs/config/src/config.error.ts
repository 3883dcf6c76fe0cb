/** Configuration that fails validation: carries every problem, one per line, without values. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly retriable = false;

  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid configuration for ${service}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}
