import type { Socket as DgramSocket, RemoteInfo } from 'node:dgram';
import type { Socket } from 'node:net';
import { availableParallelism } from 'node:os';
import type { TlsOptions } from 'node:tls';
import { InvalidArgumentError } from '../errors.js';
import { invalid } from '../internal/validate.js';
import { defaultLogger, type Logger } from '../options.js';
import { type Address, parseAddress } from './address.js';
import { type Balancer, balancer, type LoadBalancing } from './balancer.js';
import { specOf } from './codec.js';
import { EngineInShutdownError, NetError } from './errors.js';
import { EventLoop, type LoopSettings } from './event-loop.js';
import { Action, type EngineView, type EventHandler } from './handler.js';
import { type HandlerSource, handlerUrl, loadHandler } from './handler-source.js';
import { type Arrivals, type Listener, type ListenSettings, listen } from './listeners.js';
import type { RemoteSettings } from './loop-messages.js';
import { type LoopModel, type LoopsOption, loopModel, nodeHasReusePort } from './loop-model.js';
import { type ConnOptions, checkConnOptions, checkFlag, checkTls } from './loop-options.js';
import { LoopSupervisor } from './loop-supervisor.js';
import { ProcessLoop } from './process-loop.js';
import { ThreadLoop } from './thread-loop.js';
import { ThrottledLog } from './throttled-log.js';
import { Ticker } from './ticker.js';

export type { HandlerSource };

/** Options of {@link start} and {@link run}. */
export interface EngineOptions extends ConnOptions {
  /** One event loop per core. */
  multicore?: boolean;
  /** Event loops; overrides `multicore`. @default 1 */
  numEventLoop?: number;
  /**
   * How loops 1..n-1 run. `'threads'`: worker threads of this process, each listening on the
   * same port with `reusePort` (Linux, Node >= 22.12; TCP and UDP, not Unix sockets), the kernel
   * spreading connections. `'processes'`: child processes to which loop 0 hands each connection
   * it accepts, as `lb` picks. `'auto'` takes threads where they work and no `lb` was passed.
   * @default 'auto'
   */
  loops?: LoopsOption;
  /** With `loops: 'processes'`: how a new connection's loop is picked. @default 'round-robin' */
  lb?: LoadBalancing;
  /** Listen with SO_REUSEPORT (TCP and UDP): Node >= 22.12 only; older Node rejects it. */
  reusePort?: boolean;
  /** UDP sockets bind with SO_REUSEADDR. */
  reuseAddr?: boolean;
  /**
   * Stream connections open at once (TLS ones in their handshake count). One accepted past it
   * is closed at once, without `onOpen`, counted in `engine.refusedConnections` and logged at
   * most once a second. With loop threads each loop admits `ceil(maxConnections / loops)` (each
   * accepts its own); with loop processes loop 0, which accepts every connection, enforces the
   * total. UDP datagrams are not connections.
   * @default Infinity
   */
  maxConnections?: number;
  /**
   * Every TCP listener serves TLS with these `node:tls` server options (`key` and `cert`, or
   * `pfx`, at least); Unix and UDP listeners do not. `onOpen` fires after the handshake and the
   * handler sees plaintext; a failed handshake never reaches the handler (it is logged, at most
   * once a second). With several loops the options are cloned into each loop: they must survive
   * structured cloning (no `SNICallback` or other function).
   */
  tls?: TlsOptions;
}

/** A running engine. */
export interface Engine extends EngineView {
  /** Connections refused because `maxConnections` was reached, over every loop. */
  readonly refusedConnections: number;
}

const MiB = 1024 * 1024;

/**
 * Starts an engine on `addr` (one address or several); resolves once it listens and `onBoot`
 * ran. With several loops, loop 0 runs in this thread and the others in worker threads or child
 * processes, as `options.loops` says. Rejects with an address's error, or `onBoot`'s.
 *
 * @example
 * ```ts
 * import { start } from 'antpool/net';
 *
 * const engine = await start({ onTraffic: (conn) => conn.write(conn.next()) }, 'tcp://127.0.0.1:0');
 * console.log(engine.addrs); // [ 'tcp://127.0.0.1:41234' ]: port 0 picked a free one
 * await engine.stop();
 * ```
 */
export async function start(
  handler: HandlerSource,
  addr: string | string[],
  options: EngineOptions = {},
): Promise<Engine> {
  const addresses = (Array.isArray(addr) ? addr : [addr]).map(parseAddress);
  checkOptions(options);
  const model = loopModel(options.loops, options.lb, addresses);
  const loops = loopCount(options);
  const url = handlerUrl(handler);
  const wantsLoops =
    loops > 1 || (options.multicore === true && options.numEventLoop === undefined);
  if (wantsLoops && url === undefined) {
    throw new NetError('ERR_HANDLER_NOT_MODULE', 'several event loops need a handler module');
  }
  if (loops > 1) checkCloneable(options.tls);
  const remote = loops > 1 ? { url: url!, count: loops - 1, model } : undefined;
  const engine = new LoopEngine(await loadHandler(handler), options, loops, remote?.model);
  await engine.start(addresses, remote);
  return engine;
}

/**
 * {@link start}, then resolves when the engine has stopped.
 *
 * @example
 * ```ts
 * import { run } from 'antpool/net';
 *
 * // A UDP echo: each datagram is one onTraffic, and conn.write answers its sender.
 * await run({ onTraffic: (conn) => conn.write(conn.next()) }, 'udp://127.0.0.1:9000');
 * ```
 */
export async function run(
  handler: HandlerSource,
  addr: string | string[],
  options?: EngineOptions,
): Promise<void> {
  const engine = await start(handler, addr, options);
  await engine.done;
}

/** Loops 1..n-1: how many, which model, and the handler module they import. */
interface RemoteLoops {
  readonly url: string;
  readonly count: number;
  readonly model: LoopModel;
}

class LoopEngine implements Engine, Arrivals {
  readonly addrs: string[] = [];
  readonly done: Promise<void>;
  readonly #handler: EventHandler;
  readonly #options: EngineOptions;
  readonly #logger: Logger;
  readonly #local: EventLoop;
  /** Loop processes: loop 0 hands them connections. */
  #processes: LoopSupervisor<ProcessLoop> | undefined;
  /** Loop threads: they accept their own. */
  #threads: LoopSupervisor<ThreadLoop> | undefined;
  readonly #listeners: Listener[] = [];
  /** The loop processes each listener (by address) handed connections to. */
  readonly #receivers = new Map<string, Set<ProcessLoop>>();
  readonly #balance: Balancer;
  /** Thread loops listen with `reusePort` beside loop 0, whatever the option says. */
  readonly #reusePort: boolean;
  /** The share of `maxConnections` each loop admits (threads); loop 0 enforces it (processes). */
  readonly #perLoop: number;
  /** With loop processes: connections loop 0 refused, the total being reached. */
  #refused = 0;
  readonly #refusals: ThrottledLog;
  readonly #ticker: Ticker;
  #stopping: Promise<void> | undefined;
  #stopped!: () => void;

  constructor(
    handler: EventHandler,
    options: EngineOptions,
    loops: number,
    model: LoopModel | undefined,
  ) {
    this.#handler = handler;
    this.#options = options;
    this.#logger = options.logger ?? defaultLogger;
    const max = options.maxConnections ?? Number.POSITIVE_INFINITY;
    this.#perLoop = model === 'processes' ? Number.POSITIVE_INFINITY : Math.ceil(max / loops);
    const events = { shutdown: this.#shutdown };
    const settings = loopSettings(options, this.#logger, this.#perLoop);
    this.#local = new EventLoop(handler, settings, events);
    this.#refusals = new ThrottledLog(this.#logger, 'connection refused: maxConnections reached');
    this.#ticker = new Ticker(handler, this.#logger, this.#shutdown);
    this.#balance = balancer(options.lb ?? 'round-robin');
    this.#reusePort = model === 'threads' || options.reusePort === true;
    this.done = new Promise((resolve) => {
      this.#stopped = resolve;
    });
  }

  async start(addresses: Address[], remote: RemoteLoops | undefined) {
    try {
      // Loop processes are ready before connections arrive; loop threads listen once loop 0
      // has bound (and so picked the ports left to the system).
      if (remote?.model === 'processes') await this.#startProcesses(remote);
      const settings = listenSettings(this.#options, this.#reusePort, this.#logger);
      for (const address of addresses) {
        const listener = await listen(address, settings, this);
        this.#listeners.push(listener);
        this.addrs.push(listener.addr);
      }
      if (remote?.model === 'threads') await this.#startThreads(remote, settings);
      if (this.#handler.onBoot?.(this) === Action.Shutdown) await this.#stop();
    } catch (err) {
      await this.#teardown();
      throw err;
    }
    if (this.#options.ticker === true && this.#stopping === undefined) this.#ticker.start();
  }

  async #startProcesses({ url, count }: RemoteLoops): Promise<void> {
    const settings = remoteSettings(this.#options, Number.POSITIVE_INFINITY);
    this.#processes = await LoopSupervisor.start(
      count,
      (events) => ProcessLoop.start(url, settings, events),
      this.#logger,
      this.#shutdown,
    );
  }

  async #startThreads({ url, count }: RemoteLoops, listening: ListenSettings): Promise<void> {
    const settings = remoteSettings(this.#options, this.#perLoop);
    const { tcpNoDelay, reuseAddr } = listening;
    const listen = { addresses: this.#listeners.map((l) => l.bound), tcpNoDelay, reuseAddr };
    this.#threads = await LoopSupervisor.start(
      count,
      (events) => ThreadLoop.start(url, settings, listen, events),
      this.#logger,
      this.#shutdown,
    );
  }

  connection(socket: Socket, local: string): void {
    const processes = this.#processes?.loops;
    if (processes === undefined) {
      this.#local.accept(socket, local);
      return;
    }
    if (this.#local.admitted + this.#processes!.connections >= this.#maxConnections) {
      this.#refuse(socket);
      return;
    }
    const counts = [this.#local.connections, ...processes.map((loop) => loop.connections)];
    const remote = processes[this.#balance(socket, counts) - 1];
    // A loop process that died (said on the logger) gets none until its replacement is ready.
    if (remote?.alive !== true) {
      this.#local.accept(socket, local);
      return;
    }
    remote.accept(socket, local);
    const receivers = this.#receivers.get(local);
    if (receivers === undefined) this.#receivers.set(local, new Set([remote]));
    else receivers.add(remote);
  }

  datagram(message: Buffer, from: RemoteInfo, local: string, socket: DgramSocket): void {
    this.#local.datagram(message, from, local, socket);
  }

  get #maxConnections(): number {
    return this.#options.maxConnections ?? Number.POSITIVE_INFINITY;
  }

  #refuse(socket: Socket): void {
    socket.destroy();
    this.#refused++;
    this.#refusals.event();
  }

  countConnections(): number {
    const remote = this.#processes ?? this.#threads;
    return this.#local.connections + (remote?.connections ?? 0);
  }

  get refusedConnections(): number {
    return this.#refused + this.#local.refused + (this.#threads?.refused ?? 0);
  }

  /** Stops accepting, closes every connection, runs `onShutdown`; rejects if already stopping. */
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
    await this.#teardown();
    try {
      this.#handler.onShutdown?.(this);
    } catch (err) {
      this.#logger.error('[antpool/net] onShutdown threw:', err);
    }
    this.#stopped();
  }

  async #teardown(): Promise<void> {
    this.#ticker.stop();
    // Together: a server's close() waits for its connections, which the loops close.
    await Promise.all([
      ...this.#listeners.splice(0).map((listener) => this.#close(listener)),
      this.#local.stop(),
      this.#processes?.stop(),
      this.#threads?.stop(),
    ]);
  }

  // Node's server.close() never calls back when every process the server handed sockets to had
  // exited before it was called (a latent bug, still in Node 26). Its listening socket closes all
  // the same, and the loops account for the connections: such a listener is not waited for.
  #close(listener: Listener): Promise<void> {
    const closed = listener.close();
    const receivers = this.#receivers.get(listener.addr);
    if (receivers === undefined || [...receivers].some((loop) => !loop.exited)) return closed;
    return Promise.resolve();
  }
}

function loopCount(options: EngineOptions): number {
  const count = options.numEventLoop;
  if (count === undefined) return options.multicore === true ? availableParallelism() : 1;
  if (Number.isInteger(count) && count >= 1) return count;
  throw invalid('ERR_INVALID_OPTION', 'numEventLoop', 'a positive integer', count);
}

function loopSettings(
  options: EngineOptions,
  logger: Logger,
  maxConnections: number,
): LoopSettings {
  return {
    codec: options.codec,
    readBufferCap: options.readBufferCap ?? Number.POSITIVE_INFINITY,
    writeBufferCap: options.writeBufferCap ?? MiB,
    tcpKeepAlive: options.tcpKeepAlive,
    idleTimeout: options.idleTimeout ?? 0,
    maxConnections,
    tls: options.tls,
    logger,
  };
}

// What a remote loop gets: the same settings, the codec as data (rebuilt in each loop).
function remoteSettings(options: EngineOptions, maxConnections: number): RemoteSettings {
  const {
    codec: _codec,
    logger: _logger,
    ...settings
  } = loopSettings(options, defaultLogger, maxConnections);
  return { ...settings, codec: specOf(options.codec) };
}

/** @throws InvalidArgumentError `ERR_INVALID_OPTION` for `tls` options a loop cannot receive. */
function checkCloneable(tls: TlsOptions | undefined): void {
  if (tls === undefined) return;
  try {
    structuredClone(tls);
  } catch (err) {
    throw new InvalidArgumentError(
      'ERR_INVALID_OPTION',
      'with several event loops `tls` is cloned into each loop: it must hold no function ' +
        `(SNICallback, …) nor other uncloneable value (${(err as Error).message})`,
    );
  }
}

function listenSettings(options: EngineOptions, reusePort: boolean, logger: Logger) {
  if (reusePort && !nodeHasReusePort()) {
    throw new InvalidArgumentError(
      'ERR_INVALID_OPTION',
      `reusePort needs Node >= 22.12 (this is ${process.version})`,
    );
  }
  return {
    tcpNoDelay: options.tcpNoDelay ?? true,
    reuseAddr: options.reuseAddr ?? false,
    reusePort,
    logger,
  };
}

const BALANCERS: readonly unknown[] = ['round-robin', 'least-connections', 'source-addr-hash'];

/** @throws InvalidArgumentError `ERR_INVALID_OPTION` for an option of the wrong kind. */
function checkOptions(options: EngineOptions): void {
  checkConnOptions(options);
  for (const flag of ['multicore', 'reusePort', 'reuseAddr'] as const) checkFlag(options, flag);
  const { lb, maxConnections, tls } = options;
  if (lb !== undefined && !BALANCERS.includes(lb)) {
    throw invalid('ERR_INVALID_OPTION', 'lb', BALANCERS.join(', '), lb);
  }
  if (
    maxConnections !== undefined &&
    !(
      (Number.isInteger(maxConnections) && maxConnections > 0) ||
      maxConnections === Number.POSITIVE_INFINITY
    )
  ) {
    throw invalid(
      'ERR_INVALID_OPTION',
      'maxConnections',
      'a positive integer or Infinity',
      maxConnections,
    );
  }
  checkTls(tls);
}
