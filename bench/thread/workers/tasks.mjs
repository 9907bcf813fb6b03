/**
 * The two task functions every contender computes, shared by all worker modules so each
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
