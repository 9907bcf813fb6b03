import { setTimeout as sleep } from 'node:timers/promises';

export { sleep };

/** A promise with its resolve/reject exposed: tests gate tasks on these, not on the clock. */
export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every queued microtask and one macrotask turn run. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Polls `condition` until it holds; fails after a generous bound, so a loaded machine passes. */
export async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(5);
  }
}

/** Records errors sent to a logger. */
export function recordingLogger() {
  const calls: unknown[][] = [];
  return {
    calls,
    error: (message: string, ...args: unknown[]) => void calls.push([message, ...args]),
  };
}

/** Settles to 'pending' if `promise` has not settled after a macrotask turn. */
export async function state(
  promise: Promise<unknown>,
): Promise<'pending' | 'fulfilled' | 'rejected'> {
  let result: 'pending' | 'fulfilled' | 'rejected' = 'pending';
  promise.then(
    () => {
      result = 'fulfilled';
    },
    () => {
      result = 'rejected';
    },
  );
  await flush();
  return result;
}
