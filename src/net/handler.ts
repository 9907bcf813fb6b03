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

/**
 * A connection as the handler sees it: a stream connection (accepted, dialled or enrolled), one
 * UDP datagram received by an engine, or a dialled UDP socket.
 */
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
  /** True on a TLS connection, accepted or dialled. */
  readonly tls: boolean;
  /**
   * On a datagram an engine received (UDP): sends one datagram to any `udp://host:port` from
   * the socket it arrived on. Absent on stream connections and on dialled UDP sockets (they
   * are connected to one peer).
   * @throws NetError `ERR_INVALID_NETWORK_ADDRESS` (`ERR_UNSUPPORTED_PROTOCOL`) for an address
   *   that is not `udp://…` (`udp4://`, `udp6://`).
   */
  sendTo?(data: Uint8Array | string, addr: string): void;
}

/** A tick's answer: the delay before the next one, and optionally an action. */
export type TickResult = number | { delay: number; action?: Action };

/** The engine's view of itself, given to `onBoot` and `onShutdown` (a client gives itself). */
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
