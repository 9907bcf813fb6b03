/**
 * An event-driven network engine in gnet's model: {@link run} or {@link start} an engine on TCP,
 * UDP or Unix sockets with an {@link EventHandler}; the engine owns the sockets and buffers, and
 * blocking work goes to a pool and comes back with {@link Conn.asyncWrite}.
 *
 * @example
 * ```ts
 * import { run } from 'antpool/net';
 *
 * // An echo server: every byte a client sends comes back.
 * await run({ onTraffic: (conn) => conn.write(conn.next()) }, 'tcp://127.0.0.1:9000');
 * ```
 * @module antpool/net
 */
export { PoolError } from '../errors.js';
export type { Logger } from '../options.js';
export type { LoadBalancing } from './balancer.js';
export {
  type ByteOrder,
  type Codec,
  DelimiterBasedFrameCodec,
  FixedLengthFrameCodec,
  type FrameOptions,
  type FrameSource,
  LengthFieldBasedFrameCodec,
  type LengthFieldDecoder,
  type LengthFieldEncoder,
  type LengthFieldLength,
  LineBasedFrameCodec,
} from './codec.js';
export { type Engine, type EngineOptions, type HandlerSource, run, start } from './engine.js';
export {
  ConnClosedError,
  CorruptedFrameError,
  EngineInShutdownError,
  FrameTooLongError,
  NetError,
  ShortBufferError,
} from './errors.js';
export {
  Action,
  type ActionResult,
  type Conn,
  type EngineView,
  type EventHandler,
  type TickResult,
} from './handler.js';
export type { LoopsOption } from './loop-model.js';
