import type { Socket } from 'node:net';
import type { Codec } from './codec.js';
import { ConnClosedError, ConnIdleError } from './errors.js';
import type { Conn } from './handler.js';
import { Inbound } from './inbound.js';

/** How long `close()` waits for a peer that does not read before it drops the connection. */
const CLOSE_GRACE_MS = 2000;
const EMPTY = Buffer.alloc(0);

/** A connection an event loop holds from `onOpen` to `onClose`: a stream, or a dialled UDP one. */
export interface HostedConn extends Conn {
  /** Ends the loop turn's batch of writes. */
  flush(): void;
  /** Closes with `err` as `onClose`'s reason (a handler threw, or a codec failed). */
  abort(err: Error): void;
}

/** What a connection needs of its event loop. */
export interface ConnHost {
  /** The handler's `onTraffic` for this connection, run now. */
  traffic(conn: HostedConn): void;
  /** The connection is gone: `onClose`, then forget it. */
  closed(conn: HostedConn, err: Error | null): void;
  readonly codec: Codec<StreamConn> | undefined;
  readonly readBufferCap: number;
  readonly writeBufferCap: number;
  /** ms without an inbound byte before the connection closes with `ConnIdleError`; 0: never. */
  readonly idleTimeout: number;
}

/**
 * A TCP or Unix stream connection: buffered inbound bytes (or decoded frames) for the handler,
 * and writes that go out in one `writev` per loop turn.
 */
export class StreamConn implements HostedConn {
  /** Free for the handler: set in `onOpen`, still there in `onClose`. */
  context: unknown = undefined;
  readonly localAddr: string;
  readonly remoteAddr: string;
  /** True on a TLS connection, accepted or dialled. */
  readonly tls: boolean;
  readonly #socket: Socket;
  readonly #host: ConnHost;
  readonly #inbound = new Inbound();
  readonly #frames: Buffer[] = [];
  #frameBytes = 0; // decoded, not yet read: what readBufferCap counts with a codec
  #corked = false;
  #closing = false;
  #closed = false;
  #byUs = false; // closed by the handler or stop(): onClose gets null
  #reason: Error | undefined; // why the socket went away, when it was not us
  #closeWaiters: (() => void)[] = [];
  #wakePending = false;
  /** With idleTimeout: when the last byte arrived (performance.now()), and the check's timer. */
  #lastRead = 0;
  #idleTimer: NodeJS.Timeout | undefined;

  constructor(socket: Socket, host: ConnHost, localAddr: string, remoteAddr: string, tls: boolean) {
    this.#socket = socket;
    this.#host = host;
    this.localAddr = localAddr;
    this.remoteAddr = remoteAddr;
    this.tls = tls;
    if (host.idleTimeout > 0) {
      this.#lastRead = performance.now();
      this.#idleTimer = setTimeout(this.#checkIdle, host.idleTimeout).unref();
    }
    socket.on('data', this.#onData);
    // Node ends our side after the peer's FIN once queued writes are flushed; then 'close'.
    socket.on('end', () => {
      this.#closing = true;
      this.#reason ??= new ConnClosedError('the peer closed the connection');
    });
    socket.on('error', (err) => {
      this.#reason ??= err;
    });
    socket.on('close', () => this.#finish(this.#reason ?? new ConnClosedError()));
    socket.on('drain', this.#onDrain);
  }

  get inboundBuffered(): number {
    return this.#inbound.length;
  }

  get outboundBuffered(): number {
    return this.#socket.writableLength;
  }

  /** True once `close()` was called or the connection went away. */
  get closed(): boolean {
    return this.#closing || this.#closed;
  }

  /** Consumes `n` inbound bytes (all when omitted or <= 0); the Buffer is the caller's. */
  next(n?: number): Buffer {
    const bytes = this.#inbound.next(n);
    this.#resumeIfRoom();
    return bytes;
  }

  /** The first `n` inbound bytes, left in place; valid until the next consume. */
  peek(n?: number): Buffer {
    return this.#inbound.peek(n);
  }

  /** Drops up to `n` inbound bytes (all when omitted or <= 0); returns how many. */
  discard(n?: number): number {
    const count = this.#inbound.discard(n);
    this.#resumeIfRoom();
    return count;
  }

  /** With a codec: the next decoded frame, or `undefined`. */
  readFrame(): Buffer | undefined {
    const frame = this.#frames.shift();
    if (frame !== undefined) {
      this.#frameBytes -= frame.length;
      this.#resumeIfRoom();
    }
    return frame;
  }

  /** Queues bytes for the peer; they leave with everything written in this loop turn. */
  write(data: Uint8Array | string): void {
    this.#checkOpen();
    this.#cork();
    this.#socket.write(data);
    this.#pauseIfFull();
  }

  writev(chunks: Uint8Array[]): void {
    this.#checkOpen();
    this.#cork();
    for (const chunk of chunks) this.#socket.write(chunk);
    this.#pauseIfFull();
  }

  /** Encodes `data` with the engine's codec and writes it. */
  writeFrame(data: Uint8Array): void {
    const codec = this.#host.codec;
    this.write(codec === undefined ? data : codec.encode(this, data));
  }

  /** Writes from anywhere; resolves once the bytes are handed to the system. */
  asyncWrite(data: Uint8Array | string): Promise<void> {
    return this.asyncWritev([typeof data === 'string' ? Buffer.from(data) : data]);
  }

  asyncWritev(chunks: Uint8Array[]): Promise<void> {
    if (this.closed) return Promise.reject(new ConnClosedError());
    this.#cork();
    const last = chunks.length - 1;
    return new Promise((resolve, reject) => {
      for (let i = 0; i < last; i++) this.#socket.write(chunks[i]!);
      this.#socket.write(chunks[last] ?? Buffer.alloc(0), (err) => {
        // A destroyed socket completes pending writes without an error: they were not sent.
        if (err == null && !this.#socket.destroyed) resolve();
        else reject(new ConnClosedError('the connection closed before the bytes were sent'));
      });
      this.#pauseIfFull();
    });
  }

  /** Schedules an `onTraffic` even without new bytes. */
  wake(): void {
    if (this.#wakePending || this.closed) return;
    this.#wakePending = true;
    setImmediate(() => {
      this.#wakePending = false;
      if (!this.closed) this.#host.traffic(this);
    });
  }

  /** Flushes what is queued, then closes; resolves after `onClose` ran. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.#closeWaiters.push(resolve));
    if (!this.#closing) {
      this.#closing = true;
      this.#byUs = true;
      this.#uncork();
      this.#endThenDestroy();
    }
    return done;
  }

  /** Ends the loop turn's batch: everything written goes out in one `writev`. */
  flush(): void {
    this.#uncork();
  }

  readonly #onData = (chunk: Buffer): void => {
    if (this.#closing) return; // the handler is done with this connection
    if (this.#idleTimer !== undefined) this.#lastRead = performance.now();
    this.#inbound.push(chunk);
    const err = this.#decode();
    if (this.#host.codec === undefined || this.#frames.length > 0) this.#host.traffic(this);
    if (err !== undefined) this.#fail(err);
    else if (this.#unread() > this.#host.readBufferCap) this.#socket.pause();
  };

  // What the handler has not consumed: bytes, or with a codec decoded frames (a partial frame
  // is bounded by maxFrameLength and must be read to be decoded).
  #unread(): number {
    return this.#host.codec === undefined ? this.#inbound.length : this.#frameBytes;
  }

  // Decodes every whole frame; returns the codec's error, after keeping the frames before it.
  #decode(): Error | undefined {
    const codec = this.#host.codec;
    if (codec === undefined) return undefined;
    try {
      for (let frame = codec.decode(this); frame !== undefined; frame = codec.decode(this)) {
        this.#frames.push(frame);
        this.#frameBytes += frame.length;
      }
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
    return undefined;
  }

  // Checked once per idleTimeout, not re-armed on every read: a busy connection costs one
  // timestamp per read. While the engine holds reading paused (backpressure), the peer is not
  // idle: the count starts again.
  readonly #checkIdle = (): void => {
    if (this.closed) return;
    const timeout = this.#host.idleTimeout;
    const now = performance.now();
    if (this.#socket.isPaused()) this.#lastRead = now;
    const idle = now - this.#lastRead;
    if (idle >= timeout) {
      this.#fail(new ConnIdleError(timeout));
      return;
    }
    this.#idleTimer = setTimeout(this.#checkIdle, Math.max(1, timeout - idle)).unref();
  };

  /** Closes with `err` as `onClose`'s reason, once what was written is flushed. */
  #fail(err: Error): void {
    if (this.#closed) return;
    this.#closing = true;
    this.#reason = err;
    this.#socket.pause();
    this.#uncork();
    this.#endThenDestroy();
  }

  // Half-open connections are not kept: once our bytes are flushed the socket goes, whatever
  // the peer does; a peer that never reads gets CLOSE_GRACE_MS to take them.
  #endThenDestroy(): void {
    const socket = this.#socket;
    socket.end(() => socket.destroy());
    setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
  }

  /** The loop reports a handler error concerning this connection. */
  abort(err: Error): void {
    this.#fail(err);
  }

  #finish(err: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closing = true;
    clearTimeout(this.#idleTimer);
    this.#host.closed(this, this.#byUs ? null : err);
    for (const resolve of this.#closeWaiters.splice(0)) resolve();
  }

  #checkOpen(): void {
    if (this.closed) throw new ConnClosedError();
  }

  #cork(): void {
    if (this.#corked) return;
    this.#corked = true;
    this.#socket.cork();
    process.nextTick(this.#uncorkLater); // writes outside a handler callback still go out
  }

  readonly #uncorkLater = (): void => this.#uncork();

  #uncork(): void {
    if (!this.#corked) return;
    this.#corked = false;
    this.#socket.uncork();
  }

  // 'drain' only comes after the socket's own high-water mark was crossed: an empty write's
  // callback tells when what is queued has left, whatever the cap.
  #pauseIfFull(): void {
    if (this.#socket.writableLength <= this.#host.writeBufferCap) return;
    this.#socket.pause();
    this.#socket.write(EMPTY, this.#onDrain);
  }

  readonly #onDrain = (): void => this.#resumeIfRoom();

  #resumeIfRoom(): void {
    if (!this.#socket.isPaused() || this.#closed) return;
    if (this.#socket.writableLength > this.#host.writeBufferCap) return;
    if (this.#unread() > this.#host.readBufferCap) return;
    this.#socket.resume();
  }
}
