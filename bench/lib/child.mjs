/**
 * What every measured child process shares. Plain JavaScript, like the children themselves:
 * they run as `node child.mjs` with no loader, so that a loader's heap and hooks stay out of
 * their timing and peak RSS.
 */

/** Prints `message` on stderr and exits 1: the orchestrator shows it and stops. */
export function fail(message) {
  process.stderr.write(`child.mjs: ${message}\n`);
  process.exit(1);
}

/** @param {string | undefined} value @param {string} flag */
export function positiveInt(value, flag) {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed <= 0) fail(`--${flag} must be a positive integer`);
  return parsed;
}

/** Exits when this process runs under a loader (tsx, --import, --require). */
export function refuseLoader() {
  const loader = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].find((arg) =>
    /--(import|loader|experimental-loader|require)\b|tsx/.test(arg),
  );
  if (loader !== undefined) fail(`must run without a loader, got ${loader}`);
}

/**
 * Starts `n` promises with `start(i)` and awaits them all.
 * @template T
 * @param {number} n
 * @param {(i: number) => Promise<T>} start
 * @returns {Promise<T[]>}
 */
export function all(n, start) {
  const promises = [];
  for (let i = 0; i < n; i++) promises.push(start(i));
  return Promise.all(promises);
}

/** @param {unknown} values an array of numbers */
export function sum(values) {
  let total = 0;
  for (const value of /** @type {number[]} */ (values)) total += value;
  return total;
}
