import { TimeoutError } from '../errors.js';

/**
 * `promise`, or a `TimeoutError` after `ms` (then `onTimeout` runs first). The timer stays ref'd:
 * the caller awaits it, and it lasts at most `ms`.
 */
export function withDeadline(
  promise: Promise<unknown>,
  ms: number,
  onTimeout?: () => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout?.();
      reject(new TimeoutError(`workers still running after ${ms} ms`));
    }, ms);
    promise.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
