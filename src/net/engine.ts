import type { Socket as DgramSocket, RemoteInfo } from 'node:dgram';
import type { Socket } from 'node:net';
import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from '../errors.js';
import { invalid } from '../internal/validate.js';
import { defaultLogger, type Logger } from '../options.js';
import { type Address, parseAddress } from './address.js';
import { type Balancer, balancer, type LoadBalancing } from './balancer.js';
import { type Codec, specOf } from './codec.js';
import { EngineInShutdownError, NetError } from './errors.js';
import { EventLoop, type LoopSettings } from './event-loop.js';
import { Action, type EngineView, type EventHandler, type TickResult } from './handler.js';
import { type HandlerSource, handlerUrl, loadHandler } from './handler-source.js';
import { type Arrivals, type Listener, type ListenSettings, listen } from './listeners.js';
import type { RemoteSettings } from './loop-messages.js';
import { type LoopModel, type LoopsOption, loopModel, nodeHasReusePort } from './loop-model.js';
import { LoopSupervisor } from './loop-supervisor.js';
import { ProcessLoop } from './process-loop.js';
import { ThreadLoop } from './thread-loop.js';

export type { HandlerSource };

/** Options of {@link start} and {@link run}. */
export interface EngineOptions {
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
  /** Calls `onTick` right after `onBoot`, then after each delay it returns. */
  ticker?: boolean;
  /** TCP keep-alive initial delay, in ms. */
  tcpKeepAlive?: number;
  /** @default true */
  tcpNoDelay?: boolean;
  /** Unconsumed inbound bytes above which reading pauses. @default no limit */
  readBufferCap?: number;
  /** Queued outbound bytes above which reading pauses until they drain. @default 1 MiB */
  writeBufferCap?: number;
  /** Frames for `conn.readFrame()` and `conn.writeFrame()`; with several loops, a built-in one. */
  codec?: Codec;
  /** Where handler errors and loop crashes are reported. @default console, prefixed `[antpool/net]` */
  logger?: Logger;
}

/** A running engine. */
export interface Engine extends EngineView {}

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
  const remote = loops > 1 ? { url: url!, count: loops - 1, model } : undefined;
  const engine = new LoopEngine(await loadHandler(handler), options, remote?.model);
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
  #stopping: Promise<void> | undefined;
  #tick: NodeJS.Timeout | undefined;
  #lastDelay: number | undefined;
  #stopped!: () => void;

  constructor(handler: EventHandler, options: EngineOptions, model: LoopModel | undefined) {
    this.#handler = handler;
    this.#options = options;
    this.#logger = options.logger ?? defaultLogger;
    const events = { shutdown: this.#shutdown };
    this.#local = new EventLoop(handler, loopSettings(options, this.#logger), events);
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
    if (this.#options.ticker === true && this.#stopping === undefined) this.#runTick();
  }

  async #startProcesses({ url, count }: RemoteLoops): Promise<void> {
    const settings = remoteSettings(this.#options);
    this.#processes = await LoopSupervisor.start(
      count,
      (events) => ProcessLoop.start(url, settings, events),
      this.#logger,
      this.#shutdown,
    );
  }

  async #startThreads({ url, count }: RemoteLoops, listening: ListenSettings): Promise<void> {
    const settings = remoteSettings(this.#options);
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

  countConnections(): number {
    const remote = this.#processes ?? this.#threads;
    return this.#local.connections + (remote?.connections ?? 0);
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
    clearTimeout(this.#tick);
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

  // A tick that throws is logged and the ticker keeps its last delay.
  readonly #runTick = (): void => {
    let result: TickResult | undefined | null;
    try {
      result = this.#handler.onTick?.();
    } catch (err) {
      this.#logger.error('[antpool/net] onTick threw:', err);
      result = this.#lastDelay;
    }
    const { delay, action } =
      typeof result === 'object' && result !== null ? result : { delay: result, action: 0 };
    if (action === Action.Shutdown) {
      void this.#stop();
      return;
    }
    if (this.#stopping !== undefined) return; // stop() was called from onTick
    if (typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0) return;
    this.#lastDelay = delay;
    this.#tick = setTimeout(this.#runTick, delay);
  };
}

function loopCount(options: EngineOptions): number {
  const count = options.numEventLoop;
  if (count === undefined) return options.multicore === true ? availableParallelism() : 1;
  if (Number.isInteger(count) && count >= 1) return count;
  throw invalid('ERR_INVALID_OPTION', 'numEventLoop', 'a positive integer', count);
}

function loopSettings(options: EngineOptions, logger: Logger): LoopSettings {
  return {
    codec: options.codec,
    readBufferCap: options.readBufferCap ?? Number.POSITIVE_INFINITY,
    writeBufferCap: options.writeBufferCap ?? MiB,
    tcpKeepAlive: options.tcpKeepAlive,
    logger,
  };
}

// What a remote loop gets: the same settings, the codec as data (rebuilt in each loop).
function remoteSettings(options: EngineOptions): RemoteSettings {
  const { codec: _codec, logger: _logger, ...settings } = loopSettings(options, defaultLogger);
  return { ...settings, codec: specOf(options.codec) };
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
  if (typeof options !== 'object' || options === null) {
    throw invalid('ERR_INVALID_OPTION', 'options', 'an object', options);
  }
  for (const flag of ['multicore', 'reusePort', 'reuseAddr', 'ticker', 'tcpNoDelay'] as const) {
    const value = options[flag];
    if (value !== undefined && typeof value !== 'boolean') {
      throw invalid('ERR_INVALID_OPTION', flag, 'a boolean', value);
    }
  }
  for (const cap of ['readBufferCap', 'writeBufferCap'] as const) {
    const value = options[cap];
    if (value !== undefined && !(typeof value === 'number' && value > 0)) {
      throw invalid('ERR_INVALID_OPTION', cap, 'a positive number of bytes', value);
    }
  }
  const { tcpKeepAlive, lb, codec } = options;
  if (tcpKeepAlive !== undefined && !(Number.isFinite(tcpKeepAlive) && tcpKeepAlive >= 0)) {
    throw invalid('ERR_INVALID_OPTION', 'tcpKeepAlive', 'a finite number of ms >= 0', tcpKeepAlive);
  }
  if (lb !== undefined && !BALANCERS.includes(lb)) {
    throw invalid('ERR_INVALID_OPTION', 'lb', BALANCERS.join(', '), lb);
  }
  if (
    codec !== undefined &&
    !(typeof codec?.encode === 'function' && typeof codec.decode === 'function')
  ) {
    throw invalid('ERR_INVALID_OPTION', 'codec', 'an object with encode and decode', codec);
  }
}
