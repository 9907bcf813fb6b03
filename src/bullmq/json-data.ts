import { InvalidArgumentError } from '../errors.js';

/**
 * Why JSON cannot carry `value` so that it reads back the same, or `undefined` when it can.
 *
 * Carried: `null`, booleans, finite numbers, strings, dense arrays and plain objects (prototype
 * `Object.prototype` or `null`) of those. An object property that is `undefined` is allowed: it
 * is dropped, and reads back `undefined`. Refused: functions, symbols, `BigInt`, `NaN` and the
 * infinities, `undefined` or holes in arrays, symbol keys, cycles, and every other object (`Map`,
 * `Set`, `Date`, class instances, typed arrays, …), which JSON would turn into something else.
 * A value reached twice without a cycle is carried as two copies.
 */
export function jsonProblem(value: unknown): string | undefined {
  const problem = check(value, new Set());
  if (problem === undefined) return undefined;
  return problem.path.length === 0
    ? problem.what
    : `${problem.what} at ${problem.path.reverse().join('')}`;
}

/** Throws `ERR_INVALID_JOB_DATA` unless JSON carries `value` faithfully. */
export function checkJobData(value: unknown, what: string): void {
  const problem = jsonProblem(value);
  if (problem !== undefined) {
    throw new InvalidArgumentError(
      'ERR_INVALID_JOB_DATA',
      `Expected ${what} to be data that JSON carries faithfully, got ${problem}`,
    );
  }
}

/** What is wrong, and where: the path is collected innermost first, on the way out. */
interface Problem {
  what: string;
  path: string[];
}

const problem = (what: string): Problem => ({ what, path: [] });

function check(value: unknown, ancestors: Set<object>): Problem | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : problem(`\`${value}\` (number)`);
    case 'bigint':
      return problem(`a BigInt (\`${value}n\`)`);
    case 'symbol':
      return problem('a symbol');
    case 'function':
      return problem(`a function (\`${value.name || 'anonymous'}\`)`);
  }
  if (value === null) return undefined;
  const object = value as object;
  if (ancestors.has(object)) return problem('a cycle');
  let found: Problem | undefined;
  ancestors.add(object);
  if (Array.isArray(object)) {
    found = checkArray(object, ancestors);
  } else {
    const proto: unknown = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) {
      const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
      found = problem(typeof name === 'string' && name !== '' ? `a ${name}` : 'a non-plain object');
    } else {
      found = checkObject(object as Record<string, unknown>, ancestors);
    }
  }
  ancestors.delete(object);
  return found;
}

function checkArray(array: unknown[], ancestors: Set<object>): Problem | undefined {
  for (let i = 0; i < array.length; i++) {
    const item = array[i];
    const found = !(i in array)
      ? problem('a hole')
      : item === undefined
        ? problem('`undefined`')
        : check(item, ancestors);
    if (found !== undefined) {
      found.path.push(`[${i}]`);
      return found;
    }
  }
  return undefined;
}

function checkObject(object: Record<string, unknown>, ancestors: Set<object>): Problem | undefined {
  if (Object.getOwnPropertySymbols(object).length > 0) return problem('an object with symbol keys');
  for (const key of Object.keys(object)) {
    const found = check(object[key], ancestors);
    if (found !== undefined) {
      found.path.push(/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);
      return found;
    }
  }
  return undefined;
}
