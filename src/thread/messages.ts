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
 * shared memory come this way; `seq` > 0 marks an exclusive (preemptible) task.
 */
export interface RunMessage {
  type: 'run';
  id: number;
  seq: number;
  name: string;
  arg: unknown;
}

/** Main → thread: the pool closed; drop every task not started yet. */
export interface DropMessage {
  type: 'drop';
}

/** Main → thread: exit once the tasks you hold are done. */
export interface StopMessage {
  type: 'stop';
}

export type ToThread = InitMessage | PeersMessage | RunMessage | DropMessage | StopMessage;

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

/** Thread → main: these tasks were dropped without starting. */
export interface DroppedMessage {
  type: 'dropped';
  ids: number[];
}

/** Thread → main: exclusive task `id` was aborted before it started; the thread skipped it. */
export interface SkippedMessage {
  type: 'skipped';
  id: number;
}

export type FromThread =
  | typeof WAKE
  | ReadyMessage
  | LoadErrorMessage
  | ResultMessage
  | DroppedMessage
  | SkippedMessage;
