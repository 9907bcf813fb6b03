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
