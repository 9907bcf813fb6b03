export { PoolError } from '../errors.js';
export type { Logger } from '../options.js';
export type { LoadBalancing } from './balancer.js';
export type { ConnChannelMessage } from './channels.js';
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
