import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh Unix socket path in a temporary directory. */
export function socketPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'antpool-net-')), 'engine.sock');
}

/** Connects to an engine address (`tcp://…` or `unix://…`). */
export function dial(addr: string): Promise<Socket> {
  const url = /^(tcp|unix):\/\/(.*)$/.exec(addr)!;
  return new Promise((resolve, reject) => {
    const options =
      url[1] === 'unix'
        ? { path: url[2]! }
        : { host: url[2]!.replace(/:\d+$/, '').replace(/^\[|\]$/g, ''), port: port(addr) };
    const socket = connect(options, () => resolve(socket));
    socket.once('error', reject);
  });
}

function port(addr: string): number {
  return Number(/:(\d+)$/.exec(addr)![1]);
}

/** Everything the peer sends until it closes. */
export function readAll(socket: Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    socket.once('close', () => resolve(Buffer.concat(chunks)));
    socket.once('error', reject);
  });
}

/** Reads exactly `length` bytes. */
export function readExactly(socket: Socket, length: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let received = 0;
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      received += chunk.length;
      if (received < length) return;
      socket.off('data', onData);
      resolve(Buffer.concat(chunks));
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('close', () => {
      if (received < length) reject(new Error(`closed after ${received} of ${length} bytes`));
    });
  });
}

/** Sends `payload` and checks it comes back whole. */
export async function echoOnce(addr: string, size: number): Promise<void> {
  const socket = await dial(addr);
  const payload = randomBytes(size);
  const reply = readExactly(socket, size);
  socket.write(payload);
  const got = await reply;
  socket.destroy();
  if (!got.equals(payload)) throw new Error(`echo of ${size} bytes came back different`);
}

/** Sends one datagram and resolves with the reply. */
export function datagram(addr: string, payload: Buffer): Promise<Buffer> {
  const socket = createSocket(addr.includes('[') ? 'udp6' : 'udp4');
  const host = addr
    .replace(/^udp:\/\//, '')
    .replace(/:\d+$/, '')
    .replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    socket.once('message', (reply) => {
      socket.close();
      resolve(reply);
    });
    socket.once('error', reject);
    socket.send(payload, port(addr), host);
  });
}

/** A random size up to `max`, skewed small (most messages are). */
export function randomSize(max: number): number {
  return Math.max(1, Math.floor(max * Math.random() ** 3));
}
