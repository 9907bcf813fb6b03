import { NetError } from './errors.js';

export type Network = 'tcp' | 'udp' | 'unix';

/** A parsed listening address. */
export interface Address {
  readonly network: Network;
  /** IP version asked for by `tcp4`/`tcp6`/`udp4`/`udp6`; 0 when either will do. */
  readonly family: 0 | 4 | 6;
  readonly host: string;
  readonly port: number;
  /** Unix sockets: the socket file. */
  readonly path: string;
}

const SCHEMES: Readonly<Record<string, { network: Network; family: 0 | 4 | 6 }>> = {
  tcp: { network: 'tcp', family: 0 },
  tcp4: { network: 'tcp', family: 4 },
  tcp6: { network: 'tcp', family: 6 },
  udp: { network: 'udp', family: 0 },
  udp4: { network: 'udp', family: 4 },
  udp6: { network: 'udp', family: 6 },
  unix: { network: 'unix', family: 0 },
};

/**
 * Parses `tcp://host:port`, `tcp4://`, `tcp6://`, `udp://`, `udp4://`, `udp6://` or
 * `unix:///path`. An empty host listens on every interface of the family.
 * @throws NetError `ERR_UNSUPPORTED_PROTOCOL` for an unknown scheme,
 *   `ERR_INVALID_NETWORK_ADDRESS` for anything malformed.
 */
export function parseAddress(addr: unknown): Address {
  if (typeof addr !== 'string') throw malformed(addr);
  // RFC 3986: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ); any other one is malformed.
  const match = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(addr);
  if (match === null) throw malformed(addr);
  const name = match[1]!.toLowerCase();
  const scheme = Object.hasOwn(SCHEMES, name) ? SCHEMES[name] : undefined;
  if (scheme === undefined) {
    throw new NetError(
      'ERR_UNSUPPORTED_PROTOCOL',
      `unsupported protocol in ${JSON.stringify(addr)}`,
    );
  }
  const rest = match[2]!;
  if (scheme.network === 'unix') {
    if (rest.length === 0 || rest.includes('\0')) throw malformed(addr);
    return { ...scheme, host: '', port: 0, path: rest };
  }
  const hostPort = /^(?:\[([^\]]*)\]|([^:/[\]]*)):(\d{1,5})$/.exec(rest);
  if (hostPort === null) throw malformed(addr);
  const port = Number(hostPort[3]);
  if (port > 65_535) throw malformed(addr);
  return { ...scheme, host: hostPort[1] ?? hostPort[2]!, port, path: '' };
}

/** The host to bind when an address leaves it empty. */
export function bindHost(address: Address): string {
  if (address.host !== '') return address.host;
  return address.family === 6 ? '::' : '0.0.0.0';
}

/** Formats a bound address the way `engine.addrs` lists it (`tcp://127.0.0.1:40123`). */
export function formatAddress(network: Network, host: string, port: number): string {
  if (network === 'unix') return `unix://${host}`;
  return `${network}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function malformed(addr: unknown): NetError {
  return new NetError(
    'ERR_INVALID_NETWORK_ADDRESS',
    `expected scheme://host:port or unix:///path, got ${JSON.stringify(addr)}`,
  );
}
