import type { Socket as DgramSocket, RemoteInfo } from 'node:dgram';
import type { Socket } from 'node:net';
import type { Logger } from '../options.js';
import { formatAddress } from './address.js';
import { closeChannel, openChannel } from './channels.js';
import type { Codec } from './codec.js';
import { type ConnHost, StreamConn } from './conn.js';
import { DatagramConn } from './datagram-conn.js';
import { Action, type Conn, type EventHandler } from './handler.js';

/** Settings of one event loop, resolved from the engine's options. */
export interface LoopSettings {
  readonly codec: Codec | undefined;
  readonly readBufferCap: number;
  readonly writeBufferCap: number;
  readonly tcpKeepAlive: number | undefined;
  readonly logger: Logger;
}

/** What an event loop tells whoever runs it. */
export interface LoopEvents {
  /** A handler returned `Action.Shutdown`: the engine must stop. */
  shutdown(): void;
  /** A connection opened (`opened`) or closed; `connections` is the new count. */
  counted?(connections: number, opened: boolean): void;
}

/**
 * One event loop: its connections and the handler called on their events. A handler that throws
 * is logged; the connection it concerned is closed with the error.
 */
export class EventLoop implements ConnHost {
  readonly codec: Codec<StreamConn> | undefined;
  readonly readBufferCap: number;
  readonly writeBufferCap: number;
  readonly #handler: EventHandler;
  readonly #settings: LoopSettings;
  readonly #events: LoopEvents;
  readonly #conns = new Set<StreamConn>();

  constructor(handler: EventHandler, settings: LoopSettings, events: LoopEvents) {
    this.#handler = handler;
    this.#settings = settings;
    this.#events = events;
    this.codec = settings.codec;
    this.readBufferCap = settings.readBufferCap;
    this.writeBufferCap = settings.writeBufferCap;
  }

  get connections(): number {
    return this.#conns.size;
  }

  /** A stream connection arrived (on this loop's listener, or handed over by loop 0). */
  accept(socket: Socket, local: string): void {
    if (this.#settings.tcpKeepAlive !== undefined) {
      socket.setKeepAlive(true, this.#settings.tcpKeepAlive);
    }
    const conn = new StreamConn(socket, this, local, remoteAddress(socket, local));
    this.#conns.add(conn);
    this.#events.counted?.(this.#conns.size, true);
    if (openChannel.hasSubscribers) openChannel.publish({ conn, err: null });
    this.#act(conn, this.#call(conn, 'onOpen'));
    socket.resume(); // listeners accept paused: this loop reads from now on
  }

  traffic(conn: StreamConn): void {
    const action = this.#call(conn, 'onTraffic');
    conn.flush();
    this.#act(conn, action);
  }

  closed(conn: StreamConn, err: Error | null): void {
    this.#conns.delete(conn);
    const action = this.#call(conn, 'onClose', err);
    if (closeChannel.hasSubscribers) closeChannel.publish({ conn, err });
    this.#events.counted?.(this.#conns.size, false);
    if (action === Action.Shutdown) this.#events.shutdown();
  }

  /** One UDP datagram: one `onTraffic`. */
  datagram(message: Buffer, from: RemoteInfo, local: string, socket: DgramSocket): void {
    const remote = formatAddress('udp', from.address, from.port);
    const conn = new DatagramConn(socket, message, from, local, remote, this.#settings.codec);
    try {
      if (!conn.decode()) return;
    } catch (err) {
      this.#settings.logger.error('[antpool/net] a datagram failed to decode:', err);
      return;
    }
    if (this.#call(conn, 'onTraffic') === Action.Shutdown) this.#events.shutdown();
  }

  // Runs a connection's handler method; a throw is logged and closes the connection with it.
  #call(conn: Conn, method: 'onOpen' | 'onTraffic' | 'onClose', err?: Error | null): unknown {
    try {
      if (method === 'onClose') return this.#handler.onClose?.(conn, err ?? null);
      return this.#handler[method]?.(conn);
    } catch (thrown) {
      const error = thrown instanceof Error ? thrown : new Error(String(thrown));
      this.#settings.logger.error(`[antpool/net] ${method} threw:`, error);
      if (conn instanceof StreamConn && method !== 'onClose') conn.abort(error);
      return Action.None;
    }
  }

  #act(conn: StreamConn, action: unknown): void {
    if (action === Action.Close) void conn.close();
    else if (action === Action.Shutdown) this.#events.shutdown();
  }

  /** Closes every connection as `close()` does. */
  async stop(): Promise<void> {
    await Promise.all([...this.#conns].map((conn) => conn.close()));
  }
}

function remoteAddress(socket: Socket, local: string): string {
  if (local.startsWith('unix://')) return ''; // an unnamed peer
  const { remoteAddress: host, remotePort: port } = socket;
  return host === undefined || port === undefined ? '' : formatAddress('tcp', host, port);
}
