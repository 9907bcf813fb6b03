import type { Codec } from './codec.js';
import type { StreamConn } from './conn.js';

/**
 * What a handler callback asks of the engine.
 *
 * @example
 * ```ts
 * import { Action, run } from 'antpool/net';
 *
 * // Answers one line, then closes the connection (after flushing the answer).
 * await run({
 *   onTraffic(conn) {
 *     conn.write('bye\n');
 *     return Action.Close;
 *   },
 * }, 'tcp://127.0.0.1:9000');
 * ```
 */
export const Action = {
  /** Nothing: go on as before (the same as returning nothing). */
  None: 0,
  /** Flush what was written, then close this connection. */
  Close: 1,
  /** Stop the engine: every connection of every loop closes. */
  Shutdown: 2,
} as const;
/** One of {@link Action}'s values. */
export type Action = (typeof Action)[keyof typeof Action];

/**
 * What a handler method returns: an action, or nothing (`void`, so a method whose body only
 * writes type-checks).
 */
// biome-ignore lint/suspicious/noConfusingVoidType: SPEC §9's `Action | void`, on purpose
export type ActionResult = Action | undefined | void;

/** A connection as the handler sees it: a stream connection, or one UDP datagram. */
export interface Conn {
  /**
   * The next `n` inbound bytes (all of them without `n`), consumed.
   * @throws ShortBufferError when fewer than `n` are buffered; nothing is consumed then.
   */
  next(n?: number): Buffer;
  /**
   * The next `n` inbound bytes (all of them without `n`), left in the buffer.
   * @throws ShortBufferError when fewer than `n` are buffered.
   */
  peek(n?: number): Buffer;
  /**
   * Drops the next `n` inbound bytes (all of them without `n`); returns how many it dropped.
   * @throws ShortBufferError when fewer than `n` are buffered; nothing is dropped then.
   */
  discard(n?: number): number;
  /** Inbound bytes buffered and not yet consumed. */
  readonly inboundBuffered: number;
  /** The next whole frame of the engine's `codec`, consumed, or `undefined` until one arrives. */
  readFrame(): Buffer | undefined;
  /**
   * Queues `data` inside a handler callback; everything queued in one loop turn leaves in one
   * `writev`. From outside a callback (a pool task), use {@link Conn.asyncWrite}.
   */
  write(data: Uint8Array | string): void;
  /** {@link Conn.write} for several chunks. */
  writev(chunks: Uint8Array[]): void;
  /** Writes `data` as one frame of the engine's `codec`. */
  writeFrame(data: Uint8Array): void;
  /**
   * Writes from anywhere (a pool task, a timer): resolves once the bytes are handed to the
   * system, rejects `ConnClosedError` once the connection is closing.
   */
  asyncWrite(data: Uint8Array | string): Promise<void>;
  /** {@link Conn.asyncWrite} for several chunks. */
  asyncWritev(chunks: Uint8Array[]): Promise<void>;
  /** Outbound bytes queued and not yet handed to the system. */
  readonly outboundBuffered: number;
  /** Schedules an `onTraffic` call for this connection, as if bytes had arrived. */
  wake(): void;
  /** Flushes what was written, then closes; resolves once closed. */
  close(): Promise<void>;
  /** Your state for this connection; the engine never reads it. */
  context: unknown;
  /** This end's address, as `tcp://host:port`, `udp://host:port` or `unix:///path`. */
  readonly localAddr: string;
  /** The peer's address, in the same form as {@link Conn.localAddr}. */
  readonly remoteAddr: string;
}

/** A tick's answer: the delay before the next one, and optionally an action. */
export type TickResult =
  | number
  | {
      /** ms before the next tick. */
      delay: number;
      /** What to do now; `Action.Shutdown` stops the engine. */
      action?: Action;
    };

/** The engine's view of itself, given to `onBoot` and `onShutdown`. */
export interface EngineView {
  /** The addresses it listens on, ports resolved (`tcp://127.0.0.1:0` becomes the port picked). */
  readonly addrs: string[];
  /** Open connections over every loop (with process loops it may lag by one message). */
  countConnections(): number;
  /** Closes every connection and loop; rejects `EngineInShutdownError` when called twice. */
  stop(): Promise<void>;
  /** Resolves once the engine has stopped, however it stopped. */
  readonly done: Promise<void>;
}

/** gnet's event handler: every method optional; none may block the event loop. */
export interface EventHandler {
  /** Listening. `Shutdown` stops the engine at once. */
  onBoot?(engine: EngineView): ActionResult;
  /** The engine stops: every connection is closed. */
  onShutdown?(engine: EngineView): void;
  /** A stream connection opened. */
  onOpen?(conn: Conn): ActionResult;
  /** `err` is null when the handler or `stop()` closed it, else the reason. */
  onClose?(conn: Conn, err: Error | null): ActionResult;
  /** Inbound bytes (or, with a codec, frames) are buffered. */
  onTraffic?(conn: Conn): ActionResult;
  /** With `ticker`: returns the delay before the next tick, in ms. */
  onTick?(): TickResult;
}

export type { Codec, StreamConn };
