import type { Socket } from 'node:net';

/** How the engine picks the event loop of a new connection. */
export type LoadBalancing = 'round-robin' | 'least-connections' | 'source-addr-hash';

/** Picks a loop index for `socket`, given each loop's connection count. */
export type Balancer = (socket: Socket, counts: readonly number[]) => number;

export function balancer(kind: LoadBalancing): Balancer {
  if (kind === 'least-connections') return leastConnections;
  if (kind === 'source-addr-hash') return sourceAddrHash;
  let next = 0;
  return (_socket, counts) => next++ % counts.length;
}

function leastConnections(_socket: Socket, counts: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < counts.length; i++) if (counts[i]! < counts[best]!) best = i;
  return best;
}

// FNV-1a over the peer's address: one client keeps landing on the same loop.
function sourceAddrHash(socket: Socket, counts: readonly number[]): number {
  const source = socket.remoteAddress ?? '';
  let hash = 0x811c9dc5;
  for (let i = 0; i < source.length; i++) {
    hash ^= source.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % counts.length;
}
