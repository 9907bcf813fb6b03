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
  /** Tasks the thread starts before it recycles itself (Infinity: never). */
  maxTasks: number;
  /** Heap bytes in use after a task past which the thread recycles itself (Infinity: never). */
  maxHeapUsed: number;
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
 * this retired thread to run: it is started already, and has no seq. An `exclusive` task (it
 * may be preempted) runs alone: the thread starts it once nothing else runs, and starts
 * nothing else until it ends.
 */
export interface RunMessage {
  type: 'run';
  id: number;
  seq: number;
  committed: boolean;
  exclusive: boolean;
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

/**
 * Thread → main: the thread reached `maxTasksPerThread` or `maxHeapUsedPerThread`. It raised its
 * own HALT (it claims nothing more) and runs nothing now; main takes back what it holds and
 * stops it, as for a retired thread.
 */
export interface RecycleMessage {
  type: 'recycle';
}

export type FromThread =
  | typeof WAKE
  | ReadyMessage
  | LoadErrorMessage
  | ResultMessage
  | RecycleMessage;
