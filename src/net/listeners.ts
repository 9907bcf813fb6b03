import { createSocket, type RemoteInfo, type SocketOptions } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../options.js';
import { type Address, bindHost, formatAddress } from './address.js';

/** Where listeners deliver what arrives. */
export interface Arrivals {
  /** A stream connection accepted on `local`; paused until a loop takes it. */
  connection(socket: Socket, local: string): void;
  /** A datagram received on `local`; `reply` sends one back to its sender. */
  datagram(
    message: Buffer,
    from: RemoteInfo,
    local: string,
    socket: import('node:dgram').Socket,
  ): void;
}

/** A bound listener: its address as `engine.addrs` lists it, and how to close it. */
export interface Listener {
  readonly addr: string;
  /** The address it was asked for, with the host and port as bound: where loop threads listen. */
  readonly bound: Address;
  close(): Promise<void>;
}

export interface ListenSettings {
  readonly tcpNoDelay: boolean;
  readonly reuseAddr: boolean;
  /** SO_REUSEPORT, TCP and UDP alike (Node >= 22.12; the engine checks). */
  readonly reusePort: boolean;
  readonly logger: Logger;
}

/** Binds `address`; resolves once it listens. */
export function listen(
  address: Address,
  settings: ListenSettings,
  to: Arrivals,
): Promise<Listener> {
  return address.network === 'udp'
    ? listenDatagrams(address, settings, to)
    : listenStream(address, settings, to);
}

async function listenStream(
  address: Address,
  settings: ListenSettings,
  to: Arrivals,
): Promise<Listener> {
  // Paused: the loop that takes the connection reads it, maybe in another process.
  const server = createServer({ noDelay: settings.tcpNoDelay, pauseOnConnect: true });
  const bound = await bind(server, address, settings);
  const addr = formatAddress(
    bound.network,
    bound.network === 'unix' ? bound.path : bound.host,
    bound.port,
  );
  server.on('connection', (socket) => to.connection(socket, addr));
  return { addr, bound, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function listenDatagrams(
  address: Address,
  settings: ListenSettings,
  to: Arrivals,
): Promise<Listener> {
  const type = address.family === 6 || address.host.includes(':') ? 'udp6' : 'udp4';
  // `reusePort` is not in Node 20's types: dgram has it since 22.12, where the engine allows it.
  const options: SocketOptions & { reusePort?: boolean } = { type, reuseAddr: settings.reuseAddr };
  if (settings.reusePort) options.reusePort = true;
  const socket = createSocket(options);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(address.port, bindHost(address), () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const local = socket.address();
  const addr = formatAddress('udp', local.address, local.port);
  socket.on('message', (message, from) => to.datagram(message, from, addr, socket));
  socket.on('error', (err) => settings.logger.error('[antpool/net] UDP socket error:', err));
  const bound = { ...address, host: local.address, port: local.port };
  return { addr, bound, close: () => new Promise((resolve) => socket.close(() => resolve())) };
}

/** Listens on `address`; resolves with it as bound (the port the system picked, if it did). */
function bind(server: Server, address: Address, settings: ListenSettings): Promise<Address> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const onListening = (): void => {
      server.off('error', reject);
      const bound = server.address();
      if (bound === null || typeof bound === 'string') resolve(address);
      else resolve({ ...address, host: bound.address, port: bound.port });
    };
    if (address.network === 'unix') server.listen(address.path, onListening);
    else {
      const options = {
        port: address.port,
        host: bindHost(address),
        ipv6Only: address.family === 6,
        reusePort: settings.reusePort,
      };
      server.listen(options, onListening);
    }
  });
}
