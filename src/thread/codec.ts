/**
 * A compact codec for values that travel through shared memory instead of `postMessage`.
 * It takes only values whose decoded copy equals what structured clone would give (numbers,
 * strings, booleans, null/undefined, whole typed arrays, arrays and plain objects of those);
 * for anything else `encode` returns false and the caller falls back to the port.
 *
 * A value occupies a header (tag, length, one float64) and an area of its own.
 */
import { readChars, readData, writeChars, writeData } from './plain-data.js';

/**
 * Views of one buffer, the unit every encoded value lives in: a SharedArrayBuffer, or a
 * thread's private copy of slots it claimed.
 */
export class SharedMemory<B extends ArrayBufferLike = SharedArrayBuffer> {
  readonly i32: Int32Array;
  readonly u16: Uint16Array;
  readonly f64: Float64Array;
  readonly bytes: Buffer;

  constructor(readonly buffer: B) {
    this.i32 = new Int32Array(buffer);
    this.u16 = new Uint16Array(buffer);
    this.f64 = new Float64Array(buffer);
    this.bytes = Buffer.from(buffer);
  }
}

/** Bytes a value header takes: tag and length (int32 each), then an int32 or a float64. */
export const HEADER_BYTES = 16;

const UNDEFINED = 0;
const NULL = 1;
const FALSE = 2;
const TRUE = 3;
const NUMBER = 4;
const STRING = 5;
const DATA = 6;
const INT32 = 7;
const TYPED = 16; // + the index of the typed array's constructor

const TYPED_ARRAYS = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
] as const;
const TYPED_PROTOTYPES: readonly object[] = TYPED_ARRAYS.map((type) => type.prototype);

/**
 * Writes `value` at byte offset `at` (8-aligned), using at most `room` bytes after the header.
 * Returns false, having written nothing that matters, when the value must take the port.
 */
export function encode(
  memory: SharedMemory<ArrayBufferLike>,
  at: number,
  room: number,
  value: unknown,
): boolean {
  switch (typeof value) {
    case 'number':
      return writeNumber(memory, at, value);
    case 'string':
      return writeText(memory, at, room, value);
    case 'boolean':
      return tag(memory, at, value ? TRUE : FALSE, 0);
    case 'undefined':
      return tag(memory, at, UNDEFINED, 0);
    case 'object':
      if (value === null) return tag(memory, at, NULL, 0);
      return encodeObject(memory, at, room, value);
    default:
      return false;
  }
}

/** Reads back the value `encode` wrote at `at`. */
export function decode(memory: SharedMemory<ArrayBufferLike>, at: number): unknown {
  const i = at >> 2;
  const kind = memory.i32[i]!;
  const length = memory.i32[i + 1]!;
  const start = at + HEADER_BYTES;
  switch (kind) {
    case INT32:
      return memory.i32[i + 2];
    case NUMBER:
      return memory.f64[(at + 8) >> 3];
    case STRING:
      return readChars(memory, start, length);
    case TRUE:
      return true;
    case FALSE:
      return false;
    case NULL:
      return null;
    case UNDEFINED:
      return undefined;
    case DATA:
      return readData(memory, start);
    default:
      return readTyped(memory, start, length, TYPED_ARRAYS[kind - TYPED]!);
  }
}

// An integer read back from a Float64Array is a heap double, and V8 then runs the code it flows
// into in floating point (fib(25) took twice as long): integers travel as int32, as small ints.
function writeNumber(memory: SharedMemory<ArrayBufferLike>, at: number, value: number): true {
  if ((value | 0) === value && (value !== 0 || 1 / value > 0)) {
    memory.i32[(at >> 2) + 2] = value;
    return tag(memory, at, INT32, 0);
  }
  memory.f64[(at + 8) >> 3] = value;
  return tag(memory, at, NUMBER, 0);
}

function tag(
  memory: SharedMemory<ArrayBufferLike>,
  at: number,
  kind: number,
  length: number,
): true {
  const i = at >> 2;
  memory.i32[i] = kind;
  memory.i32[i + 1] = length;
  return true;
}

// UTF-16 keeps every string as it is, lone surrogates included, as structured clone does.
function writeText(
  memory: SharedMemory<ArrayBufferLike>,
  at: number,
  room: number,
  text: string,
): boolean {
  if (text.length * 2 > room) return false;
  writeChars(memory, at + HEADER_BYTES, text);
  return tag(memory, at, STRING, text.length);
}

function encodeObject(
  memory: SharedMemory<ArrayBufferLike>,
  at: number,
  room: number,
  value: object,
): boolean {
  if (ArrayBuffer.isView(value)) {
    const typed = TYPED_PROTOTYPES.indexOf(Object.getPrototypeOf(value) as object);
    return typed >= 0 && writeTyped(memory, at, room, typed, value);
  }
  const start = at + HEADER_BYTES;
  const end = writeData(memory, start, start + room, value);
  return end >= 0 && tag(memory, at, DATA, end - start);
}

// Structured clone copies a view's whole buffer and keeps a shared one shared: only a typed
// array that is its whole, ordinary buffer decodes to the same thing.
function writeTyped(
  memory: SharedMemory<ArrayBufferLike>,
  at: number,
  room: number,
  typed: number,
  view: ArrayBufferView,
): boolean {
  const { buffer, byteOffset, byteLength } = view;
  if (byteLength > room || byteOffset !== 0 || byteLength !== buffer.byteLength) return false;
  if (!(buffer instanceof ArrayBuffer) || (buffer as { resizable?: boolean }).resizable) {
    return false;
  }
  memory.bytes.set(new Uint8Array(buffer), at + HEADER_BYTES);
  return tag(memory, at, TYPED + typed, byteLength);
}

function readTyped(
  memory: SharedMemory<ArrayBufferLike>,
  start: number,
  length: number,
  type: (typeof TYPED_ARRAYS)[number],
): ArrayBufferView {
  const copy = new ArrayBuffer(length);
  new Uint8Array(copy).set(memory.bytes.subarray(start, start + length));
  return new type(copy);
}
