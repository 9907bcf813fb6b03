import { PoolError } from '../errors.js';

/** Every error `antpool/net` raises on purpose: a {@link PoolError} with a stable `code`. */
export class NetError extends PoolError {}

/** `next(n)`/`peek(n)` asked for more bytes than are buffered; nothing was consumed. */
export class ShortBufferError extends NetError {
  constructor(wanted: number, buffered: number) {
    super('ERR_SHORT_BUFFER', `wanted ${wanted} bytes, ${buffered} are buffered`);
  }
}

/** The connection is closing or closed: nothing more can be written to it. */
export class ConnClosedError extends NetError {
  constructor(message = 'the connection is closed') {
    super('ERR_CONN_CLOSED', message);
  }
}

/** A frame announced or grew past the codec's `maxFrameLength`: the connection is closed. */
export class FrameTooLongError extends NetError {
  constructor(length: number, max: number) {
    super('ERR_FRAME_TOO_LONG', `a frame of ${length} bytes exceeds maxFrameLength (${max})`);
  }
}

/** A length-field header that makes no sense (a negative adjusted length). */
export class CorruptedFrameError extends NetError {
  constructor(message: string) {
    super('ERR_CORRUPTED_FRAME', message);
  }
}

/** `stop()` was called on an engine that is already stopping or stopped. */
export class EngineInShutdownError extends NetError {
  constructor() {
    super('ERR_ENGINE_IN_SHUTDOWN', 'the engine is already shutting down');
  }
}

/** A stream connection received no byte for `idleTimeout` ms: `onClose`'s reason when it closed. */
export class ConnIdleError extends NetError {
  constructor(ms: number) {
    super('ERR_CONN_IDLE', `no byte received for ${ms} ms (idleTimeout)`);
  }
}
