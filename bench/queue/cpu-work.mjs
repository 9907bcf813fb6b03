/**
 * The CPU-bound job of the queue benchmark's scenarios 2 and 3: fib(30) the slow way, about
 * 50 ms of one core here, whatever runs it (a ThreadPool thread, a BullMQ processor inline or
 * sandboxed). Returns `n + fib(30)` so that a result proves the job ran with its own argument.
 */
const fib = (k) => (k < 2 ? k : fib(k - 1) + fib(k - 2));

export const FIB_30 = 832040;

/** @param {number} n */
export default function work(n) {
  return n + fib(30);
}
