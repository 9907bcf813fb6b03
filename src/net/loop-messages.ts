/**
 * The messages between loop 0 and the event loops that run elsewhere, in a child process or a
 * worker thread. Both models speak this one protocol; only a process gets `conn`, only a thread
 * gets `listen` and `counter`. The loop's side answers `init` with `ready` or `load-error`, and
 * `stop` by closing what it holds and exiting; `remote-loop.ts` holds the states these move.
 */
import type { TlsOptions } from 'node:tls';
import type { SerializedError } from '../thread/error-codec.js';
import type { Address } from './address.js';
import type { CodecSpec } from './codec.js';

/** What a remote loop is told at start: only what survives cloning. */
export interface RemoteSettings {
  readonly codec: CodecSpec | undefined;
  readonly readBufferCap: number;
  readonly writeBufferCap: number;
  readonly tcpKeepAlive: number | undefined;
  readonly idleTimeout: number;
  /** What this loop admits: its share with threads, Infinity with processes (loop 0 counts). */
  readonly maxConnections: number;
  /** Accepted TCP connections speak TLS; the loop makes its own secure context from these. */
  readonly tls: TlsOptions | undefined;
}

/** A thread loop listens itself, with `reusePort`, on the addresses loop 0 bound. */
export interface ListenSpec {
  /** Loop 0's listeners as bound: a port the system picked is filled in. */
  readonly addresses: readonly Address[];
  readonly tcpNoDelay: boolean;
  readonly reuseAddr: boolean;
}

/** Loop 0 → remote loop: load the handler module and serve. */
export interface InitMessage {
  readonly type: 'init';
  /** The handler module's URL. */
  readonly handler: string;
  readonly settings: RemoteSettings;
  /** Threads only: where to listen. */
  readonly listen?: ListenSpec;
  /**
   * Threads only: two Int32 the thread keeps equal to its connection count ([0]) and to the
   * connections it refused ([1]); loop 0 reads them.
   */
  readonly counter?: SharedArrayBuffer;
}

/** Loop 0 → remote loop. A `conn` message (processes only) carries the socket as its handle. */
export type ToLoop = InitMessage | { type: 'conn'; local: string } | { type: 'stop' };

/** Remote loop → loop 0. */
export type FromLoop =
  /** Loaded and (a thread) listening: it may take connections. */
  | { type: 'ready' }
  /** The handler module, its codec or (a thread) a listener failed: the loop exits. */
  | { type: 'load-error'; error: SerializedError }
  /** Processes only: a connection handed over has closed. */
  | { type: 'closed' }
  /** A handler returned `Action.Shutdown`: the engine stops. */
  | { type: 'shutdown' }
  /** What the loop logged, for loop 0's logger. */
  | { type: 'log'; message: string; args: SerializedError[] }
  /** Processes only: an uncaught error, sent before the process exits with it. */
  | { type: 'crash'; error: SerializedError };
