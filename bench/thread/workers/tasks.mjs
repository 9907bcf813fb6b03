import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The task functions every contender computes, shared by all worker modules so each
 * library runs exactly the same code.
 */

/**
 * The tiny task: one addition.
 * @param {{ a: number, b: number }} arg
 * @returns {number}
 */
export function add({ a, b }) {
  return a + b;
}

/**
 * The CPU-bound task: naive recursive Fibonacci (`fib(25)` is 75,025, about 1.6 ms).
 * @param {number} n
 * @returns {number}
 */
export function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/** Iterations of {@link spin}'s loop per unit: about 20 µs on the 2-core AMD EPYC VM. */
const SPIN_ITERATIONS = 6_500;

/**
 * The task of a chosen cost: a deterministic busy loop of `units` times about 20 µs (no timer,
 * no allocation), so a task of 100 units costs 100 of 1 unit.
 * @param {number} units
 * @returns {number} `units`, once the loop has run (its sum is always positive)
 */
export function spin(units) {
  let total = 0;
  const end = units * SPIN_ITERATIONS;
  for (let i = 1; i <= end; i++) total += Math.sqrt(i);
  return total > 0 ? units : -units;
}

/** What {@link sleepFib} waits for, in ms: a request's round trip, say. */
export const SLEEP_MS = 5;

/**
 * The task that mixes I/O and CPU: awaits a {@link SLEEP_MS} timer, then computes `fib(n)`.
 * @param {number} n
 * @returns {Promise<number>}
 */
export async function sleepFib(n) {
  await sleep(SLEEP_MS);
  return fib(n);
}
