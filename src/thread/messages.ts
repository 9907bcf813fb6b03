import type { SerializedError } from './error-codec.js';

/** Main → thread: load the task module (a file URL) and map the thread's run queue. Sent first. */
export interface InitMessage {
  type: 'init';
  filename: string;
  queue: SharedArrayBuffer;
  peers: SharedArrayBuffer[];
  stealing: boolean;
  /** Nice steps the thread lowers its own priority by before it loads the module. */
  niceIncrement: number;
}

/** Main → thread: the run queues of the other threads, to steal from. */
export interface PeersMessage {
  type: 'peers';
  queues: SharedArrayBuffer[];
}

/**
 * Main → thread: run export `name` of the module with `arg`. Tasks that cannot travel through
 * shared memory, and exclusive (preemptible) ones, come this way. `seq` numbers them for the
 * MAIL word that decides each (run-queue.ts); `committed` marks a task main took back and gave
 * this retired thread to run: it is started already, and has no seq.
 */
export interface RunMessage {
  type: 'run';
  id: number;
  seq: number;
  committed: boolean;
  name: string;
  arg: unknown;
}

/** Main → thread: retired (HALT is up), exit once the started tasks are done. */
export interface StopMessage {
  type: 'stop';
}

export type ToThread = InitMessage | PeersMessage | RunMessage | StopMessage;

/** Thread → main: completions wait in the thread's run queue. One per batch, not per task. */
export const WAKE = 0;

/** Thread → main: the module loaded; tasks start from now on. */
export interface ReadyMessage {
  type: 'ready';
}

/** Thread → main: the module failed to load; the thread takes no task. */
export interface LoadErrorMessage {
  type: 'load-error';
  error: SerializedError;
}

/** Thread → main: the outcome of task `id`, when it cannot travel through shared memory. */
export type ResultMessage =
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: SerializedError };

export type FromThread = typeof WAKE | ReadyMessage | LoadErrorMessage | ResultMessage;
