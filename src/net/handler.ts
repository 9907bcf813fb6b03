import type { Codec } from './codec.js';
import type { StreamConn } from './conn.js';

/** What a handler callback asks of the engine. */
export const Action = { None: 0, Close: 1, Shutdown: 2 } as const;
export type Action = (typeof Action)[keyof typeof Action];

/**
 * What a handler method returns: an action, or nothing (`void`, so a method whose body only
 * writes type-checks).
 */
// biome-ignore lint/suspicious/noConfusingVoidType: SPEC §9's `Action | void`, on purpose
export type ActionResult = Action | undefined | void;

/** A connection as the handler sees it: a stream connection, or one UDP datagram. */
export interface Conn {
  next(n?: number): Buffer;
  peek(n?: number): Buffer;
  discard(n?: number): number;
  readonly inboundBuffered: number;
  readFrame(): Buffer | undefined;
  write(data: Uint8Array | string): void;
  writev(chunks: Uint8Array[]): void;
  writeFrame(data: Uint8Array): void;
  asyncWrite(data: Uint8Array | string): Promise<void>;
  asyncWritev(chunks: Uint8Array[]): Promise<void>;
  readonly outboundBuffered: number;
  wake(): void;
  close(): Promise<void>;
  context: unknown;
  readonly localAddr: string;
  readonly remoteAddr: string;
}

/** A tick's answer: the delay before the next one, and optionally an action. */
export type TickResult = number | { delay: number; action?: Action };

/** The engine's view of itself, given to `onBoot` and `onShutdown`. */
export interface EngineView {
  readonly addrs: string[];
  countConnections(): number;
  stop(): Promise<void>;
  readonly done: Promise<void>;
}

/** gnet's event handler: every method optional; none may block the event loop. */
export interface EventHandler {
  /** Listening. `Shutdown` stops the engine at once. */
  onBoot?(engine: EngineView): ActionResult;
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
