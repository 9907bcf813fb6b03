import type { Socket as DgramSocket, RemoteInfo } from 'node:dgram';
import type { Socket } from 'node:net';
import { type TLSSocket, type TlsOptions, Server as TlsServer } from 'node:tls';
import { InvalidArgumentError } from '../errors.js';
import type { Logger } from '../options.js';
import { formatAddress } from './address.js';
import { closeChannel, openChannel } from './channels.js';
import type { Codec } from './codec.js';
import { type ConnHost, type HostedConn, StreamConn } from './conn.js';
import { DatagramConn } from './datagram-conn.js';
import { Action, type Conn, type EventHandler } from './handler.js';
import { ThrottledLog } from './throttled-log.js';

/** Settings of one event loop, resolved from the engine's (or the client's) options. */
export interface LoopSettings {
  readonly codec: Codec | undefined;
  readonly readBufferCap: number;
  readonly writeBufferCap: number;
  readonly tcpKeepAlive: number | undefined;
  /** ms without an inbound byte before a stream connection closes; 0: never. */
  readonly idleTimeout: number;
  /** Stream connections this loop admits at once (handshaking ones count); past it, refused. */
  readonly maxConnections: number;
  /** Connections accepted on a TCP listener speak TLS with these options. */
  readonly tls: TlsOptions | undefined;
  readonly logger: Logger;
}

/** What an event loop tells whoever runs it. */
export interface LoopEvents {
  /** A handler returned `Action.Shutdown`: the engine must stop. */
  shutdown(): void;
  /**
   * A connection given to this loop opened (`opened`) or went away (closed, refused, or its TLS
   * handshake failed); `connections` is the new count of open ones.
   */
  counted?(connections: number, opened: boolean): void;
  /** A connection was refused (maxConnections); `refused` is the loop's running total. */
  refused?(refused: number): void;
}

/** Where a stream connection came from and goes to, as `Conn` shows it. */
export interface Endpoints {
  readonly local: string;
  readonly remote: string;
  readonly tls: boolean;
  readonly context?: unknown;
}

/**
 * One event loop: its connections and the handler called on their events. A handler that throws
 * is logged; the connection it concerned is closed with the error.
 */
export class EventLoop implements ConnHost {
  readonly codec: Codec<StreamConn> | undefined;
  readonly readBufferCap: number;
  readonly writeBufferCap: number;
  readonly idleTimeout: number;
  readonly #handler: EventHandler;
  readonly #settings: LoopSettings;
  readonly #events: LoopEvents;
  readonly #conns = new Set<HostedConn>();
  /** One TLS server (never listening) per TCP listener: it runs the handshakes. */
  readonly #tlsServers = new Map<string, TlsServer>();
  /** Raw sockets of the connections accepted for TLS: handshaking, or open (then in #conns). */
  readonly #tlsRaw = new Set<Socket>();
  #handshakes = 0;
  #stopping = false;
  #refused = 0;
  readonly #refusals: ThrottledLog;
  readonly #handshakeFailures: ThrottledLog;

  constructor(handler: EventHandler, settings: LoopSettings, events: LoopEvents) {
    this.#handler = handler;
    this.#settings = settings;
    this.#events = events;
    this.codec = settings.codec;
    this.readBufferCap = settings.readBufferCap;
    this.writeBufferCap = settings.writeBufferCap;
    this.idleTimeout = settings.idleTimeout;
    this.#refusals = new ThrottledLog(
      settings.logger,
      'connection refused: maxConnections reached',
    );
    this.#handshakeFailures = new ThrottledLog(settings.logger, 'a TLS handshake failed');
    // Bad certificates or keys fail here, when the engine starts, not at the first connection.
    if (settings.tls !== undefined) this.#tlsServer('');
  }

  /** Open connections (handshaking ones not yet). */
  get connections(): number {
    return this.#conns.size;
  }

  /** Connections admitted: open, or in their TLS handshake. */
  get admitted(): number {
    return this.#conns.size + this.#handshakes;
  }

  /** Connections refused because of `maxConnections`. */
  get refused(): number {
    return this.#refused;
  }

  /** A stream connection arrived (on this loop's listener, or handed over by loop 0), paused. */
  accept(socket: Socket, local: string): void {
    if (this.admitted >= this.#settings.maxConnections) {
      this.refuse(socket);
      this.#events.counted?.(this.#conns.size, false);
      return;
    }
    const remote = remoteAddress(socket, local);
    if (this.#settings.tls !== undefined && local.startsWith('tcp')) {
      this.#handshakes++;
      this.#tlsRaw.add(socket);
      socket.once('close', () => this.#tlsRaw.delete(socket));
      this.#tlsServer(local).emit('connection', socket);
      return;
    }
    this.open(socket, { local, remote, tls: false });
  }

  /** Closes a connection past the limit at once, counting and (throttled) logging it. */
  refuse(socket: Socket): void {
    socket.destroy();
    this.#refused++;
    this.#events.refused?.(this.#refused);
    this.#refusals.event();
  }

  /** Serves a connected socket (paused or not): a `Conn` on it, then `onOpen`. */
  open(socket: Socket, endpoints: Endpoints): StreamConn {
    if (this.#settings.tcpKeepAlive !== undefined) {
      socket.setKeepAlive(true, this.#settings.tcpKeepAlive);
    }
    const conn = new StreamConn(socket, this, endpoints.local, endpoints.remote, endpoints.tls);
    // This loop reads from now on. Before onOpen: the first bytes come in a later turn anyway,
    // and a pause onOpen's writes ask (backpressure) is not undone.
    socket.resume();
    this.adopt(conn, endpoints.context);
    return conn;
  }

  /** A connection of this loop opened: count it, then `onOpen`. */
  adopt(conn: HostedConn, context: unknown): void {
    conn.context = context;
    this.#conns.add(conn);
    this.#events.counted?.(this.#conns.size, true);
    if (openChannel.hasSubscribers) openChannel.publish({ conn, err: null });
    this.#act(conn, this.#call(conn, 'onOpen'));
  }

  traffic(conn: HostedConn): void {
    const action = this.#call(conn, 'onTraffic');
    conn.flush();
    this.#act(conn, action);
  }

  closed(conn: HostedConn, err: Error | null): void {
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

  /** Logs what the handler should know of, as a handler that throws is. */
  log(message: string, err: unknown): void {
    this.#settings.logger.error(`[antpool/net] ${message}`, err);
  }

  // Node's own TLS server, fed the sockets our listeners accept: it applies the options (ALPN,
  // SNI, client certificates, handshakeTimeout) exactly as a listening one would.
  #tlsServer(local: string): TlsServer {
    let server = this.#tlsServers.get(local);
    if (server !== undefined) return server;
    try {
      server = new TlsServer(this.#settings.tls ?? {});
    } catch (err) {
      throw new InvalidArgumentError('ERR_INVALID_OPTION', `tls: ${(err as Error).message}`, {
        cause: err,
      });
    }
    server.on('secureConnection', (socket: TLSSocket) => {
      this.#handshakes--;
      if (this.#stopping) socket.destroy();
      else this.open(socket, { local, remote: remoteAddress(socket, local), tls: true });
    });
    server.on('tlsClientError', (err: Error, socket: TLSSocket) => {
      this.#handshakes--;
      socket.destroy();
      this.#handshakeFailures.event(err);
      this.#events.counted?.(this.#conns.size, false);
    });
    this.#tlsServers.set(local, server);
    return server;
  }

  // Runs a connection's handler method; a throw is logged and closes the connection with it.
  #call(conn: Conn, method: 'onOpen' | 'onTraffic' | 'onClose', err?: Error | null): unknown {
    try {
      if (method === 'onClose') return this.#handler.onClose?.(conn, err ?? null);
      return this.#handler[method]?.(conn);
    } catch (thrown) {
      const error = thrown instanceof Error ? thrown : new Error(String(thrown));
      this.#settings.logger.error(`[antpool/net] ${method} threw:`, error);
      if (method !== 'onClose' && this.#conns.has(conn as HostedConn)) {
        (conn as HostedConn).abort(error);
      }
      return Action.None;
    }
  }

  #act(conn: HostedConn, action: unknown): void {
    if (action === Action.Close) void conn.close();
    else if (action === Action.Shutdown) this.#events.shutdown();
  }

  /** Closes every connection as `close()` does. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await Promise.all([...this.#conns].map((conn) => conn.close()));
    // What is left is still in its handshake (the open ones have just closed): nothing to flush.
    for (const socket of this.#tlsRaw) socket.destroy();
  }
}

function remoteAddress(socket: Socket, local: string): string {
  if (local.startsWith('unix://')) return ''; // an unnamed peer
  const { remoteAddress: host, remotePort: port } = socket;
  return host === undefined || port === undefined ? '' : formatAddress('tcp', host, port);
}
