import type { Socket as DgramSocket, RemoteInfo } from 'node:dgram';
import { parseAddress } from './address.js';
import type { Codec } from './codec.js';
import { ConnClosedError, NetError } from './errors.js';
import type { Conn } from './handler.js';
import { Inbound } from './inbound.js';

const noop = (): void => {};

/** One UDP datagram as a connection: its bytes to read, and writes that answer the sender. */
export class DatagramConn implements Conn {
  context: unknown = undefined;
  readonly localAddr: string;
  readonly remoteAddr: string;
  readonly tls = false;
  readonly #socket: DgramSocket;
  readonly #to: RemoteInfo;
  readonly #codec: Codec<DatagramConn> | undefined;
  readonly #inbound = new Inbound();
  readonly #frames: Buffer[] = [];
  #closed = false;

  constructor(
    socket: DgramSocket,
    message: Buffer,
    from: RemoteInfo,
    localAddr: string,
    remoteAddr: string,
    codec: Codec<DatagramConn> | undefined,
  ) {
    this.#socket = socket;
    this.#to = from;
    this.localAddr = localAddr;
    this.remoteAddr = remoteAddr;
    this.#codec = codec;
    this.#inbound.push(message);
  }

  /** With a codec: decodes the datagram's frames; false when it holds none. */
  decode(): boolean {
    const codec = this.#codec;
    if (codec === undefined) return true;
    for (let frame = codec.decode(this); frame !== undefined; frame = codec.decode(this)) {
      this.#frames.push(frame);
    }
    return this.#frames.length > 0;
  }

  get inboundBuffered(): number {
    return this.#inbound.length;
  }

  get outboundBuffered(): number {
    return 0;
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

  /** Sends one datagram to the sender. */
  write(data: Uint8Array | string): void {
    if (this.#closed) throw new ConnClosedError();
    this.#send(data, noop); // a lost datagram is UDP's contract
  }

  /** Sends one datagram to `addr` (`udp://host:port`) from the socket this one arrived on. */
  sendTo(data: Uint8Array | string, addr: string): void {
    const to = parseAddress(addr);
    if (to.network !== 'udp') {
      throw new NetError(
        'ERR_INVALID_NETWORK_ADDRESS',
        `sendTo takes a udp:// address, got ${addr}`,
      );
    }
    if (this.#closed) throw new ConnClosedError();
    try {
      this.#socket.send(data, to.port, to.host, noop);
    } catch {
      throw new ConnClosedError('the engine stopped: its UDP socket is closed');
    }
  }

  /** Sends one datagram of all the chunks. */
  writev(chunks: Uint8Array[]): void {
    this.write(Buffer.concat(chunks));
  }

  writeFrame(data: Uint8Array): void {
    this.write(this.#codec === undefined ? data : this.#codec.encode(this, data));
  }

  asyncWrite(data: Uint8Array | string): Promise<void> {
    if (this.#closed) return Promise.reject(new ConnClosedError());
    return new Promise((resolve, reject) => {
      this.#send(data, (err) => (err === null ? resolve() : reject(err)));
    });
  }

  // After stop() the socket is closed and send throws: that is a closed connection.
  #send(data: Uint8Array | string, done: (err: Error | null) => void): void {
    try {
      this.#socket.send(data, this.#to.port, this.#to.address, done);
    } catch {
      done(new ConnClosedError('the engine stopped: its UDP socket is closed'));
    }
  }

  asyncWritev(chunks: Uint8Array[]): Promise<void> {
    return this.asyncWrite(Buffer.concat(chunks));
  }

  /** Datagrams carry no more traffic: a no-op kept for the Conn interface. */
  wake(): void {}

  /** Nothing more may be written for this datagram. */
  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }
}
