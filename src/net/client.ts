import { createSocket, type Socket as DgramSocket } from 'node:dgram';
import { connect as netConnect, Socket } from 'node:net';
import { type ConnectionOptions, TLSSocket, connect as tlsConnect } from 'node:tls';
import { AbortError } from '../errors.js';
import { checkSignal, invalid } from '../internal/validate.js';
import { defaultLogger, type Logger } from '../options.js';
import { type Address, formatAddress, parseAddress } from './address.js';
import { DialledDatagramConn } from './dialled-datagram-conn.js';
import { EngineInShutdownError } from './errors.js';
import { type Endpoints, EventLoop } from './event-loop.js';
import type { Conn, EngineView, EventHandler } from './handler.js';
import { type ConnOptions, checkConnOptions, checkTls } from './loop-options.js';
import { Ticker } from './ticker.js';

/** Options of {@link createClient}. */
export interface ClientOptions extends ConnOptions {
  /**
   * Dialled TCP connections speak TLS with these `node:tls` client options (`ca`, `servername`,
   * `rejectUnauthorized`, a client certificate, …); `dial` resolves after the handshake. Unix
   * and UDP dials do not use them.
   */
  tls?: ConnectionOptions;
}

/** Options of one {@link Client.dial}. */
export interface DialOptions {
  /** The new connection's `context`, set before `onOpen`. */
  context?: unknown;
  /** Aborting it while connecting rejects the dial with antpool's `AbortError`. */
  signal?: AbortSignal;
}

/**
 * gnet's `Client`: outbound connections served by an event loop in this thread, with the same
 * handler model and `Conn` as an engine's. `onBoot` is not called; `onOpen`, `onTraffic`,
 * `onClose`, `onTick` and `onShutdown(client)` are.
 */
export interface Client extends EngineView {
  /** A client listens on nothing: always empty (it is there so a client is an `EngineView`). */
  readonly addrs: string[];
  /**
   * Connects to `addr` (`tcp://`, `tcp4://`, `tcp6://`, `udp://`, `udp4://`, `udp6://`,
   * `unix:///path`); resolves with the `Conn` once connected (with `tls`, after the handshake)
   * and `onOpen` ran. A UDP dial gives a connected datagram socket: each write is one datagram to
   * `addr`, each datagram from it one `onTraffic`. Rejects with the socket's error
   * (`ECONNREFUSED`, …), an address error (`ERR_UNSUPPORTED_PROTOCOL`,
   * `ERR_INVALID_NETWORK_ADDRESS`), `AbortError` (`ERR_TASK_ABORTED`) when `signal` aborts, or
   * `ERR_ENGINE_IN_SHUTDOWN` once `stop()` was called.
   */
  dial(addr: string, opts?: DialOptions): Promise<Conn>;
  /**
   * Adopts a connected `net.Socket` (a `tls.TLSSocket` too, then `conn.tls` is true): from now
   * on the client reads it and calls the handler, `onOpen` first.
   * @throws InvalidArgumentError `ERR_INVALID_OPTION` for anything but a connected socket.
   * @throws NetError `ERR_ENGINE_IN_SHUTDOWN` once `stop()` was called.
   */
  enroll(socket: Socket, opts?: { context?: unknown }): Conn;
  /** Open connections, dialled and enrolled. */
  countConnections(): number;
  /**
   * Stops the ticker, fails the dials in progress, closes every connection as `close()` does,
   * then runs `onShutdown(client)`. A second call rejects `ERR_ENGINE_IN_SHUTDOWN`.
   */
  stop(): Promise<void>;
  /** Resolves once the client has stopped. */
  readonly done: Promise<void>;
}

const MiB = 1024 * 1024;

/**
 * Creates a client running `handler` (an object) on an event loop in this thread; its ticker
 * (`ticker: true`) starts at once.
 * Rejects `ERR_INVALID_OPTION` for a handler that is not an object or a bad option.
 */
export async function createClient(
  handler: EventHandler,
  options: ClientOptions = {},
): Promise<Client> {
  if (typeof handler !== 'object' || handler === null) {
    throw invalid('ERR_INVALID_OPTION', 'handler', 'an event handler object', handler);
  }
  checkConnOptions(options);
  checkTls(options.tls);
  const client = new LoopClient(handler, options);
  if (options.ticker === true) client.startTicker();
  return client;
}

class LoopClient implements Client {
  readonly addrs: string[] = [];
  readonly done: Promise<void>;
  readonly #handler: EventHandler;
  readonly #options: ClientOptions;
  readonly #logger: Logger;
  readonly #loop: EventLoop;
  readonly #ticker: Ticker;
  /** Sockets still connecting: stop() fails their dials. */
  readonly #dialling = new Set<{ destroy(): unknown }>();
  #stopping: Promise<void> | undefined;
  #stopped!: () => void;

  constructor(handler: EventHandler, options: ClientOptions) {
    this.#handler = handler;
    this.#options = options;
    this.#logger = options.logger ?? defaultLogger;
    const settings = {
      codec: options.codec,
      readBufferCap: options.readBufferCap ?? Number.POSITIVE_INFINITY,
      writeBufferCap: options.writeBufferCap ?? MiB,
      tcpKeepAlive: options.tcpKeepAlive,
      idleTimeout: options.idleTimeout ?? 0,
      maxConnections: Number.POSITIVE_INFINITY,
      tls: undefined, // a client's TLS is dialled with tls.connect, not accepted
      logger: this.#logger,
    };
    this.#loop = new EventLoop(handler, settings, { shutdown: this.#shutdown });
    this.#ticker = new Ticker(handler, this.#logger, this.#shutdown);
    this.done = new Promise((resolve) => {
      this.#stopped = resolve;
    });
  }

  startTicker(): void {
    this.#ticker.start();
  }

  async dial(addr: string, opts?: DialOptions): Promise<Conn> {
    if (this.#stopping !== undefined) throw new EngineInShutdownError();
    const address = parseAddress(addr);
    const signal = checkSignal(opts);
    if (signal?.aborted === true) throw new AbortError(signal.reason);
    const context = opts?.context;
    if (address.network === 'udp') {
      const socket = await this.#dialUdp(address, signal);
      this.#checkRunning(socket);
      return this.#open(socket, context);
    }
    const socket = await this.#dialStream(address, signal);
    this.#checkRunning(socket);
    return this.#loop.open(socket, { ...streamEndpoints(socket, address), context });
  }

  // stop() may have begun between the connection and now: its conn would escape stop().
  #checkRunning(socket: Socket | DgramSocket): void {
    if (this.#stopping === undefined) return;
    destroy(socket);
    throw new EngineInShutdownError();
  }

  enroll(socket: Socket, opts?: { context?: unknown }): Conn {
    if (this.#stopping !== undefined) throw new EngineInShutdownError();
    if (!(socket instanceof Socket) || socket.destroyed || socket.connecting) {
      throw invalid('ERR_INVALID_OPTION', 'socket', 'a connected net.Socket', socket);
    }
    if (opts !== undefined && (typeof opts !== 'object' || opts === null)) {
      throw invalid('ERR_INVALID_OPTION', 'options', 'an object', opts);
    }
    return this.#loop.open(socket, { ...enrolledEndpoints(socket), context: opts?.context });
  }

  countConnections(): number {
    return this.#loop.connections;
  }

  stop(): Promise<void> {
    if (this.#stopping !== undefined) return Promise.reject(new EngineInShutdownError());
    return this.#stop();
  }

  readonly #shutdown = (): void => void this.#stop();

  #stop(): Promise<void> {
    this.#stopping ??= this.#finish();
    return this.#stopping;
  }

  async #finish(): Promise<void> {
    this.#ticker.stop();
    for (const socket of this.#dialling) socket.destroy();
    await this.#loop.stop();
    try {
      this.#handler.onShutdown?.(this);
    } catch (err) {
      this.#logger.error('[antpool/net] onShutdown threw:', err);
    }
    this.#stopped();
  }

  #open(socket: DgramSocket, context: unknown): Conn {
    const local = socket.address();
    const remote = socket.remoteAddress();
    const conn = new DialledDatagramConn(
      socket,
      this.#loop,
      formatAddress('udp', local.address, local.port),
      formatAddress('udp', remote.address, remote.port),
    );
    this.#loop.adopt(conn, context);
    return conn;
  }

  #dialStream(address: Address, signal: AbortSignal | undefined): Promise<Socket> {
    const tls = this.#options.tls;
    const secure = tls !== undefined && address.network === 'tcp';
    const target =
      address.network === 'unix'
        ? { path: address.path }
        : { host: dialHost(address), port: address.port, family: address.family || undefined };
    const socket = secure ? tlsConnect({ ...tls, ...target }) : netConnect(target);
    if (address.network === 'tcp') socket.setNoDelay(this.#options.tcpNoDelay ?? true);
    return this.#connecting(socket, secure ? 'secureConnect' : 'connect', signal).then(() => {
      socket.pause(); // the loop reads from onOpen on
      return socket;
    });
  }

  #dialUdp(address: Address, signal: AbortSignal | undefined): Promise<DgramSocket> {
    const six = address.family === 6 || address.host.includes(':');
    const socket = createSocket(six ? 'udp6' : 'udp4');
    socket.connect(address.port, dialHost(address));
    return this.#connecting(socket, 'connect', signal).then(() => socket);
  }

  // Settles when `socket` emits `event`, fails, the signal aborts or the client stops.
  #connecting(
    socket: Socket | DgramSocket,
    event: string,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const handle = { destroy: () => destroy(socket) };
    this.#dialling.add(handle);
    return new Promise<void>((resolve, reject) => {
      const settle = (err?: Error): void => {
        this.#dialling.delete(handle);
        signal?.removeEventListener('abort', onAbort);
        socket.off(event, onEvent).off('error', onError).off('close', onClose);
        if (err === undefined && this.#stopping === undefined) {
          resolve();
          return;
        }
        destroy(socket);
        reject(err ?? new EngineInShutdownError());
      };
      const onEvent = (): void => settle();
      const onError = (err: Error): void => settle(err);
      const onClose = (): void => settle(new EngineInShutdownError());
      const onAbort = (): void => settle(new AbortError(signal!.reason));
      socket.once(event, onEvent).once('error', onError).once('close', onClose);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function destroy(socket: Socket | DgramSocket): void {
  if (socket instanceof Socket) socket.destroy();
  else {
    try {
      socket.close();
    } catch {
      // already closed
    }
  }
}

/** Where to dial an address that leaves its host empty: this machine. */
function dialHost(address: Address): string {
  if (address.host !== '') return address.host;
  return address.family === 6 ? '::1' : '127.0.0.1';
}

function streamEndpoints(socket: Socket, address: Address): Omit<Endpoints, 'context'> {
  const tls = socket instanceof TLSSocket;
  if (address.network === 'unix') return { local: '', remote: `unix://${address.path}`, tls };
  return { ...tcpEndpoints(socket), tls };
}

function enrolledEndpoints(socket: Socket): Omit<Endpoints, 'context'> {
  const tls = socket instanceof TLSSocket;
  if (socket.remotePort === undefined) return { local: '', remote: '', tls }; // a Unix socket
  return { ...tcpEndpoints(socket), tls };
}

function tcpEndpoints(socket: Socket): { local: string; remote: string } {
  const { localAddress, localPort, remoteAddress, remotePort } = socket;
  return {
    local: formatAddress('tcp', localAddress ?? '', localPort ?? 0),
    remote: formatAddress('tcp', remoteAddress ?? '', remotePort ?? 0),
  };
}
