import { invalid } from '../internal/validate.js';
import { ShortBufferError } from './errors.js';

/**
 * A connection's unconsumed inbound bytes: the chunks as they were read, never copied until a
 * read spans two of them.
 */
export class Inbound {
  #chunks: Buffer[] = [];
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  /** The first `n` bytes (all for n <= 0), left in place. Valid until the next consume. */
  peek(n = 0): Buffer {
    const want = this.#want(n);
    if (want === 0) return Buffer.alloc(0);
    return this.#front(want).subarray(0, want);
  }

  /** Consumes and returns the first `n` bytes (all for n <= 0). */
  next(n = 0): Buffer {
    const bytes = this.peek(n);
    this.#drop(bytes.length);
    return bytes;
  }

  /** Drops up to `n` bytes (all for n <= 0); returns how many. */
  discard(n = 0): number {
    checkCount(n);
    const count = n > 0 ? Math.min(n, this.#length) : this.#length;
    this.#drop(count);
    return count;
  }

  #want(n: number): number {
    checkCount(n);
    if (n <= 0) return this.#length;
    if (n > this.#length) throw new ShortBufferError(n, this.#length);
    return n;
  }

  // The first chunk, merged with the following ones until it holds `n` bytes.
  #front(n: number): Buffer {
    const chunks = this.#chunks;
    if (chunks[0]!.length >= n) return chunks[0]!;
    let count = 1;
    let size = chunks[0]!.length;
    while (size < n) size += chunks[count++]!.length;
    const merged = Buffer.concat(chunks.slice(0, count), size);
    chunks.splice(0, count, merged);
    return merged;
  }

  #drop(n: number): void {
    let left = n;
    this.#length -= n;
    const chunks = this.#chunks;
    while (left > 0) {
      const first = chunks[0]!;
      if (first.length > left) {
        chunks[0] = first.subarray(left);
        return;
      }
      left -= first.length;
      chunks.shift();
    }
  }
}

function checkCount(n: number): void {
  if (!Number.isInteger(n)) throw invalid('ERR_INVALID_OPTION', 'n', 'an integer', n);
}
