// The task module: its default export runs in a pool thread.
export default function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
