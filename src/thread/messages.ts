import type { SerializedError } from './error-codec.js';

/** Main → thread: load the task module (a file URL). Sent once, first. */
export interface InitMessage {
  type: 'init';
  filename: string;
}

/** Main → thread: run export `name` of the module with `arg`. */
export interface RunMessage {
  type: 'run';
  id: number;
  name: string;
  arg: unknown;
}

/** Main → thread: the pool closed; drop every task not started yet. */
export interface DropMessage {
  type: 'drop';
}

export type ToThread = InitMessage | RunMessage | DropMessage;

/** Thread → main: the module loaded; tasks start from now on. */
export interface ReadyMessage {
  type: 'ready';
}

/** Thread → main: the module failed to load; the thread takes no task. */
export interface LoadErrorMessage {
  type: 'load-error';
  error: SerializedError;
}

/** Thread → main: the outcome of task `id`. Tasks settle in the order they were sent. */
export type ResultMessage =
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: SerializedError };

/** Thread → main: the last `count` tasks sent were dropped without starting. */
export interface DroppedMessage {
  type: 'dropped';
  count: number;
}

export type FromThread = ReadyMessage | LoadErrorMessage | ResultMessage | DroppedMessage;
