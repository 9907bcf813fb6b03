import { InvalidArgumentError } from '../errors.js';
import { invalid } from '../internal/validate.js';
import { CorruptedFrameError, FrameTooLongError, NetError } from './errors.js';

/** What a codec reads frames from: a connection's undecoded inbound bytes. */
export interface FrameSource {
  /** Inbound bytes buffered and not yet consumed. */
  readonly inboundBuffered: number;
  /** The next `n` buffered bytes (all of them without `n`), without consuming them. */
  peek(n?: number): Buffer;
  /** The next `n` buffered bytes (all of them without `n`), consumed. */
  next(n?: number): Buffer;
  /** Drops the next `n` buffered bytes (all of them without `n`); returns how many it dropped. */
  discard(n?: number): number;
}

/**
 * Turns a connection's byte stream into frames and frames into bytes. `decode` returns the next
 * whole frame, consuming it, or `undefined` until more bytes arrive; it throws to close the
 * connection with that error.
 */
export interface Codec<C extends FrameSource = FrameSource> {
  /** The bytes that carry `data` as one frame (what `conn.writeFrame(data)` sends). */
  encode(conn: C, data: Uint8Array): Uint8Array;
  /** The next whole frame, consumed, or `undefined` until more bytes arrive. */
  decode(conn: C): Buffer | undefined;
}

/** A built-in codec as data: how another event loop (a thread or a process) rebuilds it. */
export type CodecSpec =
  | { kind: 'line'; options: FrameOptions | undefined }
  | { kind: 'delimiter'; delimiter: string | Uint8Array; options: FrameOptions | undefined }
  | { kind: 'fixed'; length: number; options: FrameOptions | undefined }
  | {
      kind: 'length-field';
      encoder: LengthFieldEncoder;
      decoder: LengthFieldDecoder;
      options: FrameOptions | undefined;
    };

/** Options every built-in codec takes last. */
export interface FrameOptions {
  /** Largest frame accepted, in bytes; a longer one closes the connection. @default 1 MiB */
  maxFrameLength?: number;
}

const DEFAULT_MAX_FRAME = 1024 * 1024;

function maxFrame(options: FrameOptions | undefined): number {
  const max = options?.maxFrameLength ?? DEFAULT_MAX_FRAME;
  if (!Number.isSafeInteger(max) || max <= 0) {
    throw new InvalidArgumentError(
      'ERR_INVALID_OPTION',
      `maxFrameLength must be a positive integer, got ${max}`,
    );
  }
  return max;
}

/**
 * Frames end with a delimiter, which `decode` strips and `encode` appends (netty's decoder).
 *
 * @example
 * ```ts
 * import { DelimiterBasedFrameCodec, run } from 'antpool/net';
 *
 * // Echoes NUL-terminated frames.
 * const codec = new DelimiterBasedFrameCodec('\0', { maxFrameLength: 4096 });
 * await run({
 *   onTraffic(conn) {
 *     for (let frame = conn.readFrame(); frame; frame = conn.readFrame()) conn.writeFrame(frame);
 *   },
 * }, 'tcp://127.0.0.1:9000', { codec });
 * ```
 */
export class DelimiterBasedFrameCodec implements Codec {
  /** @internal How another event loop rebuilds this codec. */
  readonly spec: CodecSpec;
  readonly #delimiter: Buffer;
  readonly #max: number;

  constructor(delimiter: string | Uint8Array, options?: FrameOptions) {
    this.#delimiter = Buffer.from(delimiter);
    if (this.#delimiter.length === 0) {
      throw invalid('ERR_INVALID_OPTION', 'delimiter', 'a non-empty string or bytes', delimiter);
    }
    this.#max = maxFrame(options);
    this.spec = { kind: 'delimiter', delimiter, options };
  }

  encode(_conn: unknown, data: Uint8Array): Uint8Array {
    return Buffer.concat([data, this.#delimiter]);
  }

  decode(conn: FrameSource): Buffer | undefined {
    const at = findDelimiter(conn, this.#delimiter, this.#max);
    if (at < 0) return undefined;
    const frame = take(conn, at);
    skip(conn, this.#delimiter.length);
    return frame;
  }
}

/**
 * Frames end with `\n`; a `\r` before it is dropped too. `encode` appends `\n`.
 *
 * @example
 * ```ts
 * import { LineBasedFrameCodec, run } from 'antpool/net';
 *
 * // Answers each line with its length.
 * await run({
 *   onTraffic(conn) {
 *     for (let line = conn.readFrame(); line; line = conn.readFrame()) {
 *       conn.writeFrame(Buffer.from(String(line.length)));
 *     }
 *   },
 * }, 'tcp://127.0.0.1:9000', { codec: new LineBasedFrameCodec() });
 * ```
 */
export class LineBasedFrameCodec implements Codec {
  /** @internal How another event loop rebuilds this codec. */
  readonly spec: CodecSpec;
  readonly #max: number;

  constructor(options?: FrameOptions) {
    this.#max = maxFrame(options);
    this.spec = { kind: 'line', options };
  }

  encode(_conn: unknown, data: Uint8Array): Uint8Array {
    return Buffer.concat([data, NEWLINE]);
  }

  decode(conn: FrameSource): Buffer | undefined {
    const at = findDelimiter(conn, NEWLINE, this.#max + 1); // a \r may come before the \n
    if (at < 0) return undefined;
    const carriage = at > 0 && conn.peek(at)[at - 1] === CR;
    const length = carriage ? at - 1 : at;
    if (length > this.#max) throw new FrameTooLongError(length, this.#max);
    const frame = take(conn, length);
    skip(conn, carriage ? 2 : 1);
    return frame;
  }
}

// next(0) and discard(0) mean "everything": an empty frame must not ask for 0.
function take(conn: FrameSource, n: number): Buffer {
  return n === 0 ? Buffer.alloc(0) : conn.next(n);
}

function skip(conn: FrameSource, n: number): void {
  if (n > 0) conn.discard(n);
}

const NEWLINE = Buffer.from('\n');
const CR = 0x0d;

// Where the delimiter starts, -1 while it has not arrived; throws once the frame before it would
// exceed `max` bytes, so a peer cannot make the engine buffer an endless line.
function findDelimiter(conn: FrameSource, delimiter: Buffer, max: number): number {
  const buffered = conn.inboundBuffered;
  if (buffered < delimiter.length) return -1;
  const at = conn.peek().indexOf(delimiter);
  if (at > max) throw new FrameTooLongError(at, max);
  if (at < 0 && buffered - delimiter.length + 1 > max) throw new FrameTooLongError(buffered, max);
  return at;
}

/**
 * Every frame is exactly `length` bytes.
 *
 * @example
 * ```ts
 * const codec = new FixedLengthFrameCodec(16); // conn.readFrame() gives 16 bytes at a time
 * ```
 */
export class FixedLengthFrameCodec implements Codec {
  /** @internal How another event loop rebuilds this codec. */
  readonly spec: CodecSpec;
  readonly #length: number;

  constructor(length: number, options?: FrameOptions) {
    if (!Number.isSafeInteger(length) || length <= 0) {
      throw invalid('ERR_INVALID_OPTION', 'length', 'a positive integer', length);
    }
    const max = maxFrame(options);
    if (length > max) throw new FrameTooLongError(length, max);
    this.#length = length;
    this.spec = { kind: 'fixed', length, options };
  }

  /** @throws NetError `ERR_INVALID_FIXED_LENGTH` unless `data` is a whole number of frames. */
  encode(_conn: unknown, data: Uint8Array): Uint8Array {
    if (data.length % this.#length !== 0) {
      throw new NetError(
        'ERR_INVALID_FIXED_LENGTH',
        `${data.length} bytes are not a multiple of the frame length ${this.#length}`,
      );
    }
    return data;
  }

  decode(conn: FrameSource): Buffer | undefined {
    return conn.inboundBuffered >= this.#length ? conn.next(this.#length) : undefined;
  }
}

/** The length field's byte order: big-endian (network order, the default) or little-endian. */
export type ByteOrder = 'BE' | 'LE';
/** The length field's size in bytes. */
export type LengthFieldLength = 1 | 2 | 3 | 4 | 8;

/** netty's LengthFieldPrepender. */
export interface LengthFieldEncoder {
  /** The length field's byte order. @default 'BE' */
  byteOrder?: ByteOrder;
  /** The length field's size in bytes. */
  lengthFieldLength: LengthFieldLength;
  /** Added to the data's length before it is written. @default 0 */
  lengthAdjustment?: number;
  /** The written length counts the length field itself. @default false */
  lengthIncludesLengthFieldLength?: boolean;
}

/** netty's LengthFieldBasedFrameDecoder. */
export interface LengthFieldDecoder {
  /** The length field's byte order. @default 'BE' */
  byteOrder?: ByteOrder;
  /** Bytes before the length field. @default 0 */
  lengthFieldOffset?: number;
  /** The length field's size in bytes. */
  lengthFieldLength: LengthFieldLength;
  /** Added to the length read to get the bytes that follow the length field. @default 0 */
  lengthAdjustment?: number;
  /** Bytes dropped from the front of each frame (usually the header). @default 0 */
  initialBytesToStrip?: number;
}

/**
 * A length field announces each frame's size, with netty's configuration.
 *
 * @example
 * ```ts
 * // A 4-byte big-endian length before each frame, stripped on the way in.
 * const codec = new LengthFieldBasedFrameCodec(
 *   { lengthFieldLength: 4 },
 *   { lengthFieldLength: 4, initialBytesToStrip: 4 },
 * );
 * ```
 */
export class LengthFieldBasedFrameCodec implements Codec {
  /** @internal How another event loop rebuilds this codec. */
  readonly spec: CodecSpec;
  readonly #encoder: Required<LengthFieldEncoder>;
  readonly #decoder: Required<LengthFieldDecoder>;
  readonly #max: number;

  constructor(encoder: LengthFieldEncoder, decoder: LengthFieldDecoder, options?: FrameOptions) {
    this.#encoder = {
      byteOrder: 'BE',
      lengthAdjustment: 0,
      lengthIncludesLengthFieldLength: false,
      ...encoder,
    };
    this.#decoder = {
      byteOrder: 'BE',
      lengthFieldOffset: 0,
      lengthAdjustment: 0,
      initialBytesToStrip: 0,
      ...decoder,
    };
    checkFields(this.#encoder);
    checkFields(this.#decoder);
    this.#max = maxFrame(options);
    this.spec = { kind: 'length-field', encoder, decoder, options };
  }

  encode(_conn: unknown, data: Uint8Array): Uint8Array {
    const { byteOrder, lengthFieldLength, lengthAdjustment } = this.#encoder;
    let length = data.length + lengthAdjustment;
    if (this.#encoder.lengthIncludesLengthFieldLength) length += lengthFieldLength;
    if (length < 0 || length > maxLength(lengthFieldLength)) {
      throw new InvalidArgumentError(
        'ERR_INVALID_OPTION',
        `a length of ${length} does not fit a ${lengthFieldLength}-byte length field`,
      );
    }
    const frame = Buffer.allocUnsafe(lengthFieldLength + data.length);
    writeLength(frame, length, lengthFieldLength, byteOrder);
    frame.set(data, lengthFieldLength);
    return frame;
  }

  decode(conn: FrameSource): Buffer | undefined {
    const { byteOrder, lengthFieldOffset, lengthFieldLength } = this.#decoder;
    const fieldEnd = lengthFieldOffset + lengthFieldLength;
    if (conn.inboundBuffered < fieldEnd) return undefined;
    const header = conn.peek(fieldEnd);
    const length = readLength(header, lengthFieldOffset, lengthFieldLength, byteOrder);
    const frameLength = length + this.#decoder.lengthAdjustment + fieldEnd;
    if (frameLength < fieldEnd) {
      throw new CorruptedFrameError(
        `adjusted frame length ${frameLength} is less than ${fieldEnd}`,
      );
    }
    if (frameLength > this.#max) throw new FrameTooLongError(frameLength, this.#max);
    const strip = this.#decoder.initialBytesToStrip;
    if (strip > frameLength) {
      throw new CorruptedFrameError(
        `initialBytesToStrip ${strip} exceeds frame length ${frameLength}`,
      );
    }
    if (conn.inboundBuffered < frameLength) return undefined;
    skip(conn, strip);
    return take(conn, frameLength - strip);
  }
}

function checkFields(fields: Required<LengthFieldEncoder> | Required<LengthFieldDecoder>): void {
  if (![1, 2, 3, 4, 8].includes(fields.lengthFieldLength)) {
    throw invalid(
      'ERR_INVALID_OPTION',
      'lengthFieldLength',
      '1, 2, 3, 4 or 8',
      fields.lengthFieldLength,
    );
  }
  if (fields.byteOrder !== 'BE' && fields.byteOrder !== 'LE') {
    throw invalid('ERR_INVALID_OPTION', 'byteOrder', "'BE' or 'LE'", fields.byteOrder);
  }
  if (!Number.isSafeInteger(fields.lengthAdjustment)) {
    throw invalid('ERR_INVALID_OPTION', 'lengthAdjustment', 'an integer', fields.lengthAdjustment);
  }
  for (const name of ['lengthFieldOffset', 'initialBytesToStrip'] as const) {
    const value = (fields as Partial<Required<LengthFieldDecoder>>)[name];
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
      throw invalid('ERR_INVALID_OPTION', name, 'an integer >= 0', value);
    }
  }
}

function maxLength(fieldLength: LengthFieldLength): number {
  return fieldLength === 8 ? Number.MAX_SAFE_INTEGER : 2 ** (8 * fieldLength) - 1;
}

function writeLength(
  into: Buffer,
  length: number,
  size: LengthFieldLength,
  order: ByteOrder,
): void {
  if (size === 8) {
    if (order === 'BE') into.writeBigUInt64BE(BigInt(length));
    else into.writeBigUInt64LE(BigInt(length));
  } else if (order === 'BE') into.writeUIntBE(length, 0, size);
  else into.writeUIntLE(length, 0, size);
}

// A length past Number.MAX_SAFE_INTEGER reads as Infinity: it is then too long for any frame.
function readLength(from: Buffer, at: number, size: LengthFieldLength, order: ByteOrder): number {
  if (size !== 8) return order === 'BE' ? from.readUIntBE(at, size) : from.readUIntLE(at, size);
  const value = order === 'BE' ? from.readBigUInt64BE(at) : from.readBigUInt64LE(at);
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(value);
}

/** The spec of a built-in codec; a user codec cannot be cloned into another process. */
export function specOf(codec: Codec | undefined): CodecSpec | undefined {
  if (codec === undefined) return undefined;
  const spec = (codec as { spec?: CodecSpec }).spec;
  if (spec !== undefined) return spec;
  throw new InvalidArgumentError('ERR_INVALID_OPTION', 'several event loops need a built-in codec');
}

/** Rebuilds a built-in codec from its spec. */
export function codecFromSpec(spec: CodecSpec | undefined): Codec | undefined {
  switch (spec?.kind) {
    case undefined:
      return undefined;
    case 'line':
      return new LineBasedFrameCodec(spec.options);
    case 'delimiter':
      return new DelimiterBasedFrameCodec(spec.delimiter, spec.options);
    case 'fixed':
      return new FixedLengthFrameCodec(spec.length, spec.options);
    case 'length-field':
      return new LengthFieldBasedFrameCodec(spec.encoder, spec.decoder, spec.options);
  }
}
