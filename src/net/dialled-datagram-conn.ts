import type { Socket as DgramSocket } from 'node:dgram';
import type { Codec } from './codec.js';
import type { ConnHost, HostedConn } from './conn.js';
import { ConnClosedError } from './errors.js';
import { Inbound } from './inbound.js';

const noop = (): void => {};

/**
 * A dialled UDP socket, connected to one peer, as a connection: `onOpen`, one `onTraffic` per
 * datagram (bytes left unread from the previous datagram are dropped, decoded frames kept), each
 * write one datagram to the peer, `onClose` when it is closed or fails (an ICMP "port
 * unreachable" comes back as `ECONNREFUSED`). No idle timeout: UDP has no silence to measure.
 */
export class DialledDatagramConn implements HostedConn {
  context: unknown = undefined;
  readonly localAddr: string;
  readonly remoteAddr: string;
  readonly tls = false;
  readonly #socket: DgramSocket;
  readonly #host: ConnHost;
  readonly #codec: Codec<DialledDatagramConn> | undefined;
  readonly #inbound = new Inbound();
  readonly #frames: Buffer[] = [];
  #closing = false;
  #closed = false;
  #reason: Error | null = null;
  #wakePending = false;
  readonly #closeWaiters: (() => void)[] = [];

  constructor(socket: DgramSocket, host: ConnHost, localAddr: string, remoteAddr: string) {
    this.#socket = socket;
    this.#host = host;
    this.#codec = host.codec as Codec<DialledDatagramConn> | undefined;
    this.localAddr = localAddr;
    this.remoteAddr = remoteAddr;
    socket.on('message', this.#onMessage);
    socket.on('error', (err) => this.abort(err));
    socket.on('close', () => this.#finish());
  }

  get inboundBuffered(): number {
    return this.#inbound.length;
  }

  get outboundBuffered(): number {
    return this.#closed ? 0 : this.#socket.getSendQueueSize();
  }

  next(n?: number): Buffer {
    return this.#inbound.next(n);
  }

  peek(n?: number): Buffer {
    return this.#inbound.peek(n);
  }

  discard(n?: number): number {
    return this.#inbound.discard(n);
  }

  readFrame(): Buffer | undefined {
    return this.#frames.shift();
  }

  /** Sends one datagram to the peer. */
  write(data: Uint8Array | string): void {
    if (this.#closing) throw new ConnClosedError();
    this.#socket.send(data, noop); // a lost datagram is UDP's contract
  }

  /** Sends one datagram of all the chunks. */
  writev(chunks: Uint8Array[]): void {
    this.write(Buffer.concat(chunks));
  }

  writeFrame(data: Uint8Array): void {
    this.write(this.#codec === undefined ? data : this.#codec.encode(this, data));
  }

  /** Sends one datagram; resolves once the system took it. */
  asyncWrite(data: Uint8Array | string): Promise<void> {
    if (this.#closing) return Promise.reject(new ConnClosedError());
    return new Promise((resolve, reject) => {
      this.#socket.send(data, (err) => (err == null ? resolve() : reject(err)));
    });
  }

  asyncWritev(chunks: Uint8Array[]): Promise<void> {
    return this.asyncWrite(Buffer.concat(chunks));
  }

  /** Schedules an `onTraffic` even without a new datagram. */
  wake(): void {
    if (this.#wakePending || this.#closing) return;
    this.#wakePending = true;
    setImmediate(() => {
      this.#wakePending = false;
      if (!this.#closing) this.#host.traffic(this);
    });
  }

  /** Closes the socket; resolves after `onClose` ran. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.#closeWaiters.push(resolve));
    if (!this.#closing) {
      this.#closing = true;
      this.#socket.close();
    }
    return done;
  }

  /** Datagrams leave as they are written: nothing to batch. */
  flush(): void {}

  /** Closes with `err` as `onClose`'s reason. */
  abort(err: Error): void {
    if (this.#closing) return;
    this.#reason = err;
    void this.close();
  }

  readonly #onMessage = (message: Buffer): void => {
    if (this.#closing) return;
    this.#inbound.discard(); // a partial frame cannot go on in another datagram
    this.#inbound.push(message);
    const codec = this.#codec;
    if (codec === undefined) {
      this.#host.traffic(this);
      return;
    }
    try {
      for (let frame = codec.decode(this); frame !== undefined; frame = codec.decode(this)) {
        this.#frames.push(frame);
      }
    } catch (err) {
      this.abort(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (this.#frames.length > 0) this.#host.traffic(this);
  };

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closing = true;
    this.#host.closed(this, this.#reason);
    for (const resolve of this.#closeWaiters.splice(0)) resolve();
  }
}
