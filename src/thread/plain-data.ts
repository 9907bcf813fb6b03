import { types } from 'node:util';
import type { SharedMemory } from './codec.js';

/**
 * Plain data (arrays and plain objects of primitives, nested) as a stream of items in shared
 * memory, written and read without JSON text: a record of numbers costs a few typed-array
 * stores. Each item starts 8-byte aligned with an int32 kind, then its payload: an int32, a
 * float64 (after 4 bytes of padding), or a count followed by that many chars or items.
 */

const UNDEFINED = 0;
const NULL = 1;
const FALSE = 2;
const TRUE = 3;
const INT32 = 4;
const FLOAT64 = 5;
const STRING = 6;
const ARRAY = 7;
const RECORD = 8;

const MAX_DEPTH = 32;
/** Strings up to this many chars are copied char by char: cheaper than a call into Buffer. */
const SHORT_TEXT = 32;

/** No room left, or a value only the port carries. */
const FAIL = -1;

/**
 * Writes `value` (an array or a plain object) at byte `at`, within byte `end`. Returns the byte
 * after it, or -1 when it does not fit or holds something structured clone would copy otherwise
 * (a hole, an extra array property, a prototype, a symbol, a function, a typed array, a proxy,
 * …). A getter that throws fails the write too: the port then meets the same error.
 */
export function writeData(
  memory: SharedMemory<ArrayBufferLike>,
  at: number,
  end: number,
  value: object,
): number {
  try {
    return writeObject(memory, at, end, value, 0);
  } catch {
    return FAIL;
  }
}

/** Reads the value {@link writeData} wrote at byte `at`. */
export function readData(memory: SharedMemory<ArrayBufferLike>, at: number): unknown {
  const reader = READER;
  reader.memory = memory;
  reader.at = at;
  const value = reader.item();
  reader.memory = undefined;
  return value;
}

function writeItem(
  memory: SharedMemory<ArrayBufferLike>,
  at: number,
  end: number,
  value: unknown,
  depth: number,
): number {
  if (at + 16 > end) return FAIL;
  const { i32 } = memory;
  switch (typeof value) {
    case 'number':
      if ((value | 0) === value && (value !== 0 || 1 / value > 0)) {
        i32[at >> 2] = INT32;
        i32[(at >> 2) + 1] = value;
        return at + 8;
      }
      i32[at >> 2] = FLOAT64;
      memory.f64[(at + 8) >> 3] = value;
      return at + 16;
    case 'string':
      return writeString(memory, at, end, value);
    case 'boolean':
      i32[at >> 2] = value ? TRUE : FALSE;
      return at + 8;
    case 'undefined':
      i32[at >> 2] = UNDEFINED;
      return at + 8;
    case 'object':
      if (value === null) {
        i32[at >> 2] = NULL;
        return at + 8;
      }
      return writeObject(memory, at, end, value, depth);
    default:
      return FAIL;
  }
}

function writeObject(
  memory: SharedMemory<ArrayBufferLike>,
  at: number,
  end: number,
  value: object,
  depth: number,
): number {
  if (depth === MAX_DEPTH || at + 8 > end || types.isProxy(value)) return FAIL; // clone refuses it
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    return writeRecord(memory, at, end, value as Record<string, unknown>, depth + 1);
  }
  if (proto === Array.prototype) return writeArray(memory, at, end, value as unknown[], depth + 1);
  return FAIL;
}

function writeRecord(
  memory: SharedMemory<ArrayBufferLike>,
  at: number,
  end: number,
  record: Record<string, unknown>,
  depth: number,
): number {
  const { i32 } = memory;
  let next = at + 8;
  let count = 0;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) return FAIL; // an enumerable inherited key
    next = writeString(memory, next, end, key);
    if (next < 0) return FAIL;
    next = writeItem(memory, next, end, record[key], depth);
    if (next < 0) return FAIL;
    count++;
  }
  i32[at >> 2] = RECORD;
  i32[(at >> 2) + 1] = count;
  return next;
}

// Structured clone keeps holes and extra properties of an array; JSON-like data has neither.
function writeArray(
  memory: SharedMemory<ArrayBufferLike>,
  at: number,
  end: number,
  array: unknown[],
  depth: number,
): number {
  const { length } = array;
  if (Object.keys(array).length !== length) return FAIL;
  let next = at + 8;
  for (let index = 0; index < length && next >= 0; index++) {
    next = writeItem(memory, next, end, array[index], depth);
  }
  if (next < 0) return FAIL;
  memory.i32[at >> 2] = ARRAY;
  memory.i32[(at >> 2) + 1] = length;
  return next;
}

// UTF-16 code units as they are: lone surrogates survive, as in structured clone.
function writeString(
  memory: SharedMemory<ArrayBufferLike>,
  at: number,
  end: number,
  text: string,
): number {
  const { length } = text;
  const start = at + 8;
  const next = align(start + length * 2);
  if (next > end) return FAIL;
  memory.i32[at >> 2] = STRING;
  memory.i32[(at >> 2) + 1] = length;
  writeChars(memory, start, text);
  return next;
}

/** Writes the UTF-16 code units of `text` at byte `at` (even). */
export function writeChars(memory: SharedMemory<ArrayBufferLike>, at: number, text: string): void {
  const { length } = text;
  if (length > SHORT_TEXT) {
    memory.bytes.write(text, at, 'utf16le');
    return;
  }
  const { u16 } = memory;
  const first = at >> 1;
  for (let k = 0; k < length; k++) u16[first + k] = text.charCodeAt(k);
}

/** Reads `length` UTF-16 code units from byte `at` (even). */
export function readChars(
  memory: SharedMemory<ArrayBufferLike>,
  at: number,
  length: number,
): string {
  if (length > SHORT_TEXT) return memory.bytes.toString('utf16le', at, at + length * 2);
  const { u16 } = memory;
  const first = at >> 1;
  let text = '';
  for (let k = 0; k < length; k++) text += String.fromCharCode(u16[first + k]!);
  return text;
}

function align(at: number): number {
  return (at + 7) & ~7;
}

/** One reader, reused: a decode allocates only the values it returns. */
class Reader {
  memory: SharedMemory<ArrayBufferLike> | undefined;
  at = 0;

  item(): unknown {
    const { i32 } = this.memory!;
    const at = this.at;
    const kind = i32[at >> 2]!;
    switch (kind) {
      case INT32:
        this.at = at + 8;
        return i32[(at >> 2) + 1];
      case FLOAT64:
        this.at = at + 16;
        return this.memory!.f64[(at + 8) >> 3];
      case STRING:
        return this.string();
      case RECORD:
        return this.record(i32[(at >> 2) + 1]!);
      case ARRAY:
        return this.array(i32[(at >> 2) + 1]!);
      default:
        this.at = at + 8;
        return kind === TRUE ? true : kind === FALSE ? false : kind === NULL ? null : undefined;
    }
  }

  string(): string {
    const at = this.at;
    const length = this.memory!.i32[(at >> 2) + 1]!;
    this.at = align(at + 8 + length * 2);
    return readChars(this.memory!, at + 8, length);
  }

  record(count: number): Record<string, unknown> {
    this.at += 8;
    const record: Record<string, unknown> = {};
    for (let k = 0; k < count; k++) {
      const key = this.string();
      const value = this.item();
      // An own property, as structured clone makes it: `record[key] =` would set the prototype.
      if (key === '__proto__') Object.defineProperty(record, key, ownValue(value));
      else record[key] = value;
    }
    return record;
  }

  array(length: number): unknown[] {
    this.at += 8;
    const array: unknown[] = [];
    for (let index = 0; index < length; index++) array.push(this.item());
    return array;
  }
}

const READER = new Reader();

function ownValue(value: unknown): PropertyDescriptor {
  return { value, writable: true, enumerable: true, configurable: true };
}
