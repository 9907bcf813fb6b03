import { ThreadPool, type ThreadPoolOptions } from '../src/thread/index.js';

/** A fixture module's URL. */
export const fixture = (name: string): URL => new URL(`./fixtures/${name}`, import.meta.url);

/** A pool over test/fixtures/behaviours.mjs, two threads unless told otherwise. */
export function behaviours(options: Partial<ThreadPoolOptions> = {}): ThreadPool<unknown, unknown> {
  return new ThreadPool({ filename: fixture('behaviours.mjs'), size: 2, ...options });
}
