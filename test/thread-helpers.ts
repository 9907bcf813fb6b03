import { ThreadPool, type ThreadPoolOptions } from '../src/thread/index.js';

/** A fixture module's URL. */
export const fixture = (name: string): URL => new URL(`./fixtures/${name}`, import.meta.url);

/** A pool over test/fixtures/behaviours.mjs, two threads unless told otherwise. */
export function behaviours(options: Partial<ThreadPoolOptions> = {}): ThreadPool<unknown, unknown> {
  return new ThreadPool({ filename: fixture('behaviours.mjs'), size: 2, ...options });
}

/** Gates for test/fixtures/gates.mjs: tasks `wait(i)` block until `open(i)`. */
export class Gates {
  readonly words = new Int32Array(new SharedArrayBuffer(64 * 4));

  /** A pool over gates.mjs with these gates as its workerData. */
  pool(options: Partial<ThreadPoolOptions> = {}): ThreadPool<number, number> {
    return new ThreadPool({
      filename: fixture('gates.mjs'),
      workerData: this.words.buffer,
      ...options,
    });
  }

  open(i: number): void {
    Atomics.store(this.words, i, 1);
    Atomics.notify(this.words, i);
  }

  /** How many times `wait(i)` started. */
  started(i: number): number {
    return Atomics.load(this.words, 32 + i);
  }
}

/** The shared words of test/fixtures/concurrent.mjs: gates, and what each task did. */
export class Flights {
  readonly words = new Int32Array(new SharedArrayBuffer(1024 * 4));

  /** A pool over concurrent.mjs with these words as its workerData. */
  pool<A = unknown, R = unknown>(options: Partial<ThreadPoolOptions> = {}): ThreadPool<A, R> {
    return new ThreadPool<A, R>({
      filename: fixture('concurrent.mjs'),
      workerData: this.words.buffer,
      ...options,
    });
  }

  open(i: number): void {
    Atomics.store(this.words, i, 1);
    Atomics.notify(this.words, i);
  }

  /** Opens every gate: a test that failed midway lets its tasks end, and its pool go. */
  openAll(): void {
    for (let i = 0; i < 256; i++) this.open(i);
  }

  /** How many times task `i` began. */
  starts(i: number): number {
    return Atomics.load(this.words, 256 + i);
  }

  /** The threadId task `i` began on (0 if it never began). */
  thread(i: number): number {
    return Atomics.load(this.words, 768 + i);
  }
}
