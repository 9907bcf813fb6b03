/**
 * Parses a command-line value as a positive integer; `fallback` when it is absent.
 * Accepts `_` separators (`1_000_000`).
 * @throws Error naming `flag` for anything else.
 */
export function positiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value.replaceAll('_', ''));
  if (!Number.isSafeInteger(parsed) || parsed <= 0) {
    throw new Error(`--${flag} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return parsed;
}
