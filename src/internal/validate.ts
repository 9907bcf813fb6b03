import { InvalidArgumentError } from '../errors.js';

/** Renders a bad value for an error message: `` `0` (number) ``. */
export function describe(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return `\`${text}\` (${value === null ? 'null' : typeof value})`;
}

/** The one message template: ``Expected `size` to be a positive integer, got `0` (number)``. */
export function invalid(code: string, name: string, expected: string, value: unknown) {
  return new InvalidArgumentError(
    code,
    `Expected \`${name}\` to be ${expected}, got ${describe(value)}`,
  );
}

/** `value`, or `fallback` when it is `undefined`; `??` would quietly take `null` for "unset". */
export function orDefault<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

export function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

/** A pool size: a positive integer, or `Infinity` where `unlimited` allows it. */
export function checkSize(value: unknown, name = 'size', unlimited = true): number {
  if (isPositiveInteger(value) || (unlimited && value === Number.POSITIVE_INFINITY)) return value;
  const expected = unlimited ? 'a positive integer or Infinity' : 'a positive integer';
  throw invalid('ERR_INVALID_POOL_SIZE', name, expected, value);
}

export function checkNonNegativeInteger(value: unknown, name: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw invalid('ERR_INVALID_OPTION', name, 'a non-negative integer', value);
}

export function checkMilliseconds(value: unknown, name: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  throw invalid('ERR_INVALID_OPTION', name, 'a finite number of milliseconds >= 0', value);
}

export function checkBoolean(value: unknown, name: string): boolean {
  if (typeof value === 'boolean') return value;
  throw invalid('ERR_INVALID_OPTION', name, 'a boolean', value);
}

export function checkFunction<F>(value: unknown, name: string, code = 'ERR_INVALID_OPTION'): F {
  if (typeof value === 'function') return value as F;
  throw invalid(code, name, 'a function', value);
}

/** Task options (`{ signal }`): checked on the hot path, so the common case costs one compare. */
export function checkSignal(opts: { signal?: AbortSignal } | undefined): AbortSignal | undefined {
  if (opts === undefined) return undefined;
  if (typeof opts !== 'object' || opts === null) {
    throw invalid('ERR_INVALID_OPTION', 'options', 'an object', opts);
  }
  const signal = opts.signal;
  if (signal === undefined || signal instanceof AbortSignal) return signal;
  throw invalid('ERR_INVALID_OPTION', 'options.signal', 'an AbortSignal', signal);
}
