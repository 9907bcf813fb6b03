export { PoolError } from '../errors.js';
export type { Logger } from '../options.js';
export type { LoadBalancing } from './balancer.js';
export {
  type Client,
  type ClientOptions,
  createClient,
  type DialOptions,
} from './client.js';
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
  ConnIdleError,
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
export type { ConnOptions } from './loop-options.js';
