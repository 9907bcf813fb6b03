import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);

/**
 * Why this Node cannot run loop threads (net's `reusePort`: Node >= 22.12 or 23.1, on Linux),
 * or false where it can: the `skip` of every thread-loop test.
 */
export const THREADS_SKIP: string | false =
  process.platform === 'linux' &&
  (major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12))
    ? false
    : 'loop threads need reusePort: Node >= 22.12 on Linux ' +
      `(this is ${process.version} on ${process.platform})`;

/** The two models of several loops, each with the `skip` of its tests on this Node. */
export const LOOP_MODELS = [
  { loops: 'threads', skip: THREADS_SKIP },
  { loops: 'processes', skip: false },
] as const;

/** The loop a fixture handler (`who?`) runs in: `pid/threadId`. Loop 0 is this test's thread. */
export const LOOP_0 = `${process.pid}/0`;

/**
 * Dials until a connection is served by a loop `wanted` accepts (the kernel or the balancer
 * decides); resolves with that connection, still open, and its loop.
 */
export async function servedBy(
  addr: string,
  wanted: (loop: string) => boolean,
): Promise<{ socket: Socket; loop: string }> {
  for (let tries = 0; tries < 200; tries++) {
    const socket = await dial(addr);
    const loop = await ask(socket, 'who?');
    if (loop !== undefined && wanted(loop)) return { socket, loop };
    socket.destroy();
  }
  throw new Error('200 connections and none served by the loop wanted');
}

/** The loop that serves a new connection; undefined when it closed unanswered (a dying loop). */
export async function loopOf(addr: string): Promise<string | undefined> {
  const socket = await dial(addr);
  const loop = await ask(socket, 'who?');
  socket.destroy();
  return loop;
}

/** Sends a short command; resolves with the reply (one chunk), or undefined if the peer left. */
function ask(socket: Socket, command: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const onData = (reply: Buffer) => done(reply.toString());
    const done = (reply: string | undefined) => {
      socket.off('data', onData).off('close', onClose).off('error', onClose);
      resolve(reply);
    };
    const onClose = () => done(undefined);
    socket.on('data', onData).once('close', onClose).once('error', onClose);
    socket.write(command);
  });
}

/** Polls `condition` every 10 ms; fails after `ms`. For what no event announces. */
export async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  for (const started = Date.now(); !condition(); ) {
    if (Date.now() - started > ms) throw new Error(`still not ${what} after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A self-signed certificate for `localhost` and 127.0.0.1, made for this test run with the
 * `openssl` command (P-256, valid one day) in a temporary directory.
 */
export function selfSignedCert(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'antpool-tls-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
      ...['-days', '1', '-subj', '/CN=localhost'],
      ...['-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
      ...['-keyout', key, '-out', cert],
    ],
    { stdio: 'ignore' },
  );
  const pair = { key: readFileSync(key), cert: readFileSync(cert) };
  rmSync(dir, { recursive: true, force: true });
  return pair;
}

/** A deferred: a promise and its resolve, for what a handler callback reports. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
