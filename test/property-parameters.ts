/**
 * Run counts and seeds of the fast-check property tests, from the environment, so that
 * `npm run stress` runs them longer and a failure can be replayed: for a test whose variables
 * start with `<prefix>` (ANTPOOL_MODEL, ANTPOOL_PROPERTY), `<prefix>_RUNS` sets the number of
 * runs, `<prefix>_PATH` the path fast-check printed with a counterexample; `ANTPOOL_SEED` sets
 * the seed of both, and `ANTPOOL_PROGRESS=1` prints progress to stderr.
 */

export interface PropertyParameters {
  numRuns: number;
  seed?: number;
  path?: string;
}

function integer(name: string, fallback: number, min: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${name} must be an integer of at least ${min}, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** `{ numRuns: defaultRuns }` when nothing is set; the seed and path only when given. */
export function propertyParameters(prefix: string, defaultRuns: number): PropertyParameters {
  const parameters: PropertyParameters = { numRuns: integer(`${prefix}_RUNS`, defaultRuns, 1) };
  if (process.env.ANTPOOL_SEED) {
    parameters.seed = integer('ANTPOOL_SEED', 0, Number.MIN_SAFE_INTEGER) | 0;
  }
  const path = process.env[`${prefix}_PATH`];
  if (path) parameters.path = path;
  return parameters;
}

/** A milliseconds bound from the environment. */
export function milliseconds(name: string, fallback: number): number {
  return integer(name, fallback, 1);
}

/**
 * `predicate`, printing to stderr every `total / 20` calls when ANTPOOL_PROGRESS is set
 * (shrinking a counterexample calls it past `total`).
 */
export function withProgress<A extends unknown[]>(
  label: string,
  total: number,
  predicate: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  if (!process.env.ANTPOOL_PROGRESS) return predicate;
  const every = Math.max(1, Math.floor(total / 20));
  const started = Date.now();
  let calls = 0;
  return async (...args: A) => {
    await predicate(...args);
    if (++calls % every === 0) {
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      process.stderr.write(`[${label}] ${calls}/${total} sequences, ${seconds} s\n`);
    }
  };
}
