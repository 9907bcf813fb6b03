// RESP2, the Redis protocol: requests in, replies out. The parser scans the connection's
// buffered bytes in place and records where each argument lies (no copy, no string per byte);
// the reply writer packs small replies into one scratch buffer so a pipelined batch of answers
// leaves in one write.

const CR = 0x0d;
const LF = 0x0a;
const STAR = 0x2a; // '*'
const DOLLAR = 0x24; // '$'
const ZERO = 0x30;
const MINUS = 0x2d;

/** Redis' own limits: a bulk argument up to 512 MB, an inline request or count line up to 64 KiB. */
const MAX_BULK = 512 * 1024 * 1024;
const MAX_MULTIBULK = 1024 * 1024;
const MAX_INLINE = 64 * 1024;

/** A request Redis refuses to parse: its answer is `-ERR Protocol error: …`, then the close. */
export class ProtocolError extends Error {}

/**
 * One parsed command: where each argument lies in `buf`. Reused from command to command; valid
 * until the bytes are consumed from the connection.
 */
export class Command {
  buf: Buffer = Buffer.alloc(0);
  argc = 0;
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  /** After an incomplete parse: how many bytes, from the command's first, it needs at least. */
  need = 0;

  /** Argument `i` as a string (latin1: byte for byte, so binary keys stay distinct). */
  str(i: number): string {
    return this.buf.toString('latin1', this.starts[i]!, this.ends[i]!);
  }

  /** Argument `i` as bytes of its own (the connection's buffer is recycled). */
  copy(i: number): Buffer {
    return Buffer.from(this.buf.subarray(this.starts[i]!, this.ends[i]!));
  }

  #push(start: number, end: number): void {
    this.starts[this.argc] = start;
    this.ends[this.argc] = end;
    this.argc++;
  }

  /**
   * Parses the command starting at `at`: returns the offset just past it, or -1 when its bytes
   * have not all arrived (then `need` says how many it takes). A command of no arguments (an
   * empty line, `*0`) parses with `argc` 0.
   * @throws ProtocolError on bytes no Redis client sends.
   */
  parse(buf: Buffer, at: number): number {
    this.buf = buf;
    this.argc = 0;
    this.need = 0;
    return buf[at] === STAR ? this.#multibulk(buf, at) : this.#inline(buf, at);
  }

  // *<argc>\r\n then argc times $<length>\r\n<bytes>\r\n
  #multibulk(buf: Buffer, at: number): number {
    const countEnd = lineEnd(buf, at, 'multibulk count');
    if (countEnd < 0) return -1;
    // A null or negative count (`*-1`) is a command of no arguments, as Redis reads it.
    const negative = buf[at + 1] === MINUS;
    const argc = parseLength(buf, negative ? at + 2 : at + 1, countEnd, 'multibulk length');
    if (negative) return countEnd + 2;
    if (argc > MAX_MULTIBULK) throw new ProtocolError('invalid multibulk length');
    let pos = countEnd + 2;
    for (let i = 0; i < argc; i++) {
      if (pos >= buf.length) return this.#incomplete(at, pos + 1);
      if (buf[pos] !== DOLLAR) {
        throw new ProtocolError(`expected '$', got '${String.fromCharCode(buf[pos]!)}'`);
      }
      const headerEnd = lineEnd(buf, pos, 'bulk length');
      if (headerEnd < 0) return this.#incomplete(at, buf.length + 1);
      const length = parseLength(buf, pos + 1, headerEnd, 'bulk length');
      if (length > MAX_BULK) throw new ProtocolError('invalid bulk length');
      const start = headerEnd + 2;
      const end = start + length;
      if (end + 2 > buf.length) return this.#incomplete(at, end + 2);
      if (buf[end] !== CR || buf[end + 1] !== LF) throw new ProtocolError('bulk without CRLF');
      this.#push(start, end);
      pos = end + 2;
    }
    return pos;
  }

  #incomplete(at: number, end: number): number {
    this.argc = 0;
    this.need = end - at;
    return -1;
  }

  // An inline command (what `telnet` and `redis-cli`'s PING use): words up to the newline.
  #inline(buf: Buffer, at: number): number {
    const newline = buf.indexOf(LF, at);
    if (newline < 0) {
      if (buf.length - at > MAX_INLINE) throw new ProtocolError('too big inline request');
      return -1;
    }
    const end = newline > at && buf[newline - 1] === CR ? newline - 1 : newline;
    for (let pos = at; pos < end; ) {
      while (pos < end && isSpace(buf[pos]!)) pos++;
      const start = pos;
      while (pos < end && !isSpace(buf[pos]!)) pos++;
      if (pos > start) this.#push(start, pos);
    }
    return newline + 1;
  }
}

const isSpace = (byte: number): boolean => byte === 0x20 || byte === 0x09 || byte === CR;

// Where the line starting at `at` ends (its \r), -1 until it has arrived.
function lineEnd(buf: Buffer, at: number, what: string): number {
  // Count lines are short: a loop beats indexOf's call into C++.
  let cr = at;
  const stop = Math.min(buf.length, at + 16);
  while (cr < stop && buf[cr] !== CR) cr++;
  if (cr === stop) cr = stop < buf.length ? buf.indexOf(CR, stop) : -1;
  if (cr < 0 || cr + 1 >= buf.length) {
    if (buf.length - at > MAX_INLINE) throw new ProtocolError(`too big ${what} string`);
    return -1;
  }
  if (buf[cr + 1] !== LF) throw new ProtocolError(`invalid ${what}`);
  return cr;
}

// A count or length: the digits between `start` and `end`.
function parseLength(buf: Buffer, start: number, end: number, what: string): number {
  if (end === start || end - start > 10) throw new ProtocolError(`invalid ${what}`);
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = buf[i]! - ZERO;
    if (digit < 0 || digit > 9) throw new ProtocolError(`invalid ${what}`);
    value = value * 10 + digit;
  }
  return value;
}

const SCRATCH_SIZE = 64 * 1024;
/** Values this long go out as their own chunk rather than copied into the scratch buffer. */
const LARGE = 16 * 1024;
const CRLF = Buffer.from('\r\n');
const NULL_BULK = Buffer.from('$-1\r\n');
const COLON = 0x3a;

/** The byte sequence of a simple reply such as `+OK\r\n`, made once. */
export function simpleReply(text: string): Buffer {
  return Buffer.from(`+${text}\r\n`, 'latin1');
}

/**
 * Replies to one batch of commands, sent in one write: small ones are packed byte by byte into a
 * scratch buffer (no string, no allocation per reply), large values are passed through as chunks
 * of their own.
 */
export class ReplyWriter {
  #scratch = Buffer.allocUnsafe(SCRATCH_SIZE);
  #used = 0;
  readonly #chunks: Buffer[] = [];

  /** A reply made by {@link simpleReply} (`+OK`, `+PONG`). */
  simple(reply: Buffer): void {
    this.#room(reply.length);
    this.#small(reply);
  }

  /** `-ERR …`. */
  error(text: string): void {
    const bytes = Buffer.from(`-${text}\r\n`, 'latin1');
    this.#room(bytes.length);
    this.#used += bytes.copy(this.#scratch, this.#used);
  }

  integer(value: number | bigint): void {
    this.#header(COLON, value);
  }

  /** A bulk string, or the null bulk for `undefined`. */
  bulk(value: Buffer | undefined): void {
    if (value === undefined) {
      this.#room(NULL_BULK.length);
      this.#small(NULL_BULK);
      return;
    }
    this.#header(DOLLAR, value.length);
    if (value.length >= LARGE) {
      this.#seal();
      this.#chunks.push(value, CRLF);
      return;
    }
    this.#room(value.length + 2);
    if (value.length <= 32) this.#small(value);
    else this.#used += value.copy(this.#scratch, this.#used);
    this.#scratch[this.#used++] = CR;
    this.#scratch[this.#used++] = LF;
  }

  /** The header of an array of `count` replies; the replies follow. */
  array(count: number): void {
    this.#header(STAR, count);
  }

  /** Everything replied since the last call, as the chunks of one write (none: empty). */
  take(): Buffer[] {
    this.#seal();
    return this.#chunks.splice(0);
  }

  // `<type><integer>\r\n`, the digits written one by one.
  #header(type: number, value: number | bigint): void {
    this.#room(24);
    const out = this.#scratch;
    out[this.#used++] = type;
    if (typeof value === 'bigint' || !Number.isSafeInteger(value)) {
      this.#used += out.write(String(value), this.#used, 'latin1');
    } else {
      if (value < 0) {
        out[this.#used++] = MINUS;
        value = -value;
      }
      let digits = 1;
      for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
      for (let i = this.#used + digits - 1; i >= this.#used; i--) {
        out[i] = ZERO + (value % 10);
        value = Math.floor(value / 10);
      }
      this.#used += digits;
    }
    out[this.#used++] = CR;
    out[this.#used++] = LF;
  }

  // Short byte strings: a loop beats Buffer#copy's call overhead. The caller made room.
  #small(bytes: Buffer): void {
    const out = this.#scratch;
    let at = this.#used;
    for (let i = 0; i < bytes.length; i++) out[at++] = bytes[i]!;
    this.#used = at;
  }

  #room(bytes: number): void {
    if (this.#used + bytes > this.#scratch.length) this.#seal();
    if (bytes > this.#scratch.length) this.#scratch = Buffer.allocUnsafe(bytes);
  }

  // What the scratch buffer holds leaves as a chunk of its own: it is copied, since the
  // scratch buffer is reused before the socket is done with the bytes.
  #seal(): void {
    if (this.#used === 0) return;
    const chunk = Buffer.allocUnsafe(this.#used); // from Node's pool when small: no view to make
    this.#scratch.copy(chunk, 0, 0, this.#used);
    this.#chunks.push(chunk);
    this.#used = 0;
  }
}
