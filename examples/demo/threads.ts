// CPU work on a ThreadPool while a 10 ms timer ticks on the main thread: the timer keeps firing,
// because the event loop never computes; the same work inline starves it.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ThreadPool } from 'antpool/thread';
import { progress } from './progress.js';

const N = 32;
const TASKS = 16;

function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/** Counts the ticks of a 10 ms timer and the event-loop delay while `work` runs. */
async function whileTicking<T>(work: () => T | Promise<T>) {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const start = performance.now();
  const result = await work();
  const ms = Math.round(performance.now() - start);
  clearInterval(timer);
  delay.disable();
  return { result, ms, ticks, maxDelayMs: Math.round(delay.max / 1e6) };
}

export async function threadsStep(pool: ThreadPool<number, number>): Promise<void> {
  const inline = await whileTicking(() => [1, 2, 3, 4].map(() => fib(N)));
  console.log(
    `  inline: 4 × fib(${N}) took ${inline.ms} ms on the main thread; ` +
      `the 10 ms timer fired ${inline.ticks} times meanwhile`,
  );
  const bar = progress(`fib(${N}) tasks`, TASKS);
  const threaded = await whileTicking(() =>
    Promise.all(
      Array.from({ length: TASKS }, () =>
        pool.run(N).then((value) => {
          bar.tick();
          return value;
        }),
      ),
    ),
  );
  bar.stop();
  const answers = new Set(threaded.result);
  console.log(
    `  ThreadPool of ${pool.cap} threads: ${TASKS} × fib(${N}) = ${[...answers].join(', ')} ` +
      `in ${threaded.ms} ms; the timer fired ${threaded.ticks} times meanwhile, ` +
      `event-loop delay at most ${threaded.maxDelayMs} ms`,
  );
}
