/**
 * The CPU-bound job of the queue benchmark's scenarios 2 and 3: fib(30) the slow way, 20 to 50 ms
 * of one core here (as busy as the machine is), whatever runs it (a ThreadPool thread, a BullMQ
 * processor inline or sandboxed). Returns `n + fib(30)`: a result proves the job ran with its own
 * argument.
 */
const fib = (k) => (k < 2 ? k : fib(k - 1) + fib(k - 2));

export const FIB_30 = 832040;

/** @param {number} n */
export default function work(n) {
  return n + fib(30);
}
