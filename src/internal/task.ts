/** How a caller waits on a task: until a worker accepts it, or until it settles. */
export const SUBMIT = 0;
export const RUN = 1;
export type Mode = typeof SUBMIT | typeof RUN;

export type Resolve = (value?: unknown) => void;
export type Reject = (reason: unknown) => void;

const noop = (): void => {};

/** The settle functions of the promise {@link createPromise} returned last. */
export const last: { resolve: Resolve; reject: Reject } = { resolve: noop, reject: noop };

function capture(resolve: Resolve, reject: Reject): void {
  last.resolve = resolve;
  last.reject = reject;
}

/**
 * A pending promise whose settle functions land in {@link last}. The executor is one shared
 * function, so the hot path allocates no closure of ours per task.
 */
export function createPromise(): Promise<unknown> {
  return new Promise(capture);
}

/** What `submit` returns when a worker takes the task at once: settled, shared, allocation-free. */
export const ACCEPTED: Promise<void> = Promise.resolve();

/** The signal a task gets when its caller gave none. */
export const NEVER_ABORTED: AbortSignal = new AbortController().signal;

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}
