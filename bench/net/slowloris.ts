/**
 * The slow-loris scenario: 1,000 peers that each send one byte a second, held open by an engine
 * without `idleTimeout`. What they cost the server (RSS and heap, after a full collection) and
 * whether other clients slow down (echo throughput with them against without).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Sample } from '../lib/measurement.js';
import { startNode } from '../lib/spawn.js';
import { runLoad } from './load.js';
import type { EchoScenario, SlowLorisScenario, Timing } from './scenarios.js';

const SERVER = fileURLToPath(new URL('./slowloris-server.mjs', import.meta.url));
const PEERS = fileURLToPath(new URL('./slowloris-peers.mjs', import.meta.url));

/** What the server reports of itself, in bytes. */
interface ServerMemory {
  readonly rss: number;
  readonly heap: number;
  readonly connections: number;
}

/** The next message from `child` that has `key`. */
async function reply<T>(child: ChildProcess, key: string): Promise<T> {
  for (;;) {
    const [message] = (await once(child, 'message')) as [Record<string, T>];
    if (key in message) return message as T;
  }
}

async function memory(server: ChildProcess): Promise<ServerMemory> {
  server.send('memory');
  return reply<ServerMemory>(server, 'rss');
}

/** The memory once every connection has gone. */
async function idleMemory(server: ChildProcess): Promise<ServerMemory> {
  let now = await memory(server);
  for (let tries = 0; now.connections > 0 && tries < 100; tries++) {
    await sleep(50);
    now = await memory(server);
  }
  return now;
}

/** Peers that trickle for a while before the measured ones. */
const WARM_UP_PEERS = 20;
/** How long peers trickle before the server's memory is read: each sends 2 or 3 bytes. */
const TRICKLE_MS = 2500;

/** `count` peers trickle to `port` for {@link TRICKLE_MS}, then leave. */
async function trickle(port: number, count: number): Promise<void> {
  const peers = await startNode({
    script: PEERS,
    args: ['--port', String(port), '--conns', String(count)],
  });
  await sleep(TRICKLE_MS);
  await peers.stop();
}

/**
 * One sample: the server's memory, warm and idle; the peers connect and trickle, and once every
 * peer has sent a byte or two, its memory again and the echo throughput with them; then the
 * peers leave and the echo throughput without them. (The echo load's own garbage would blur the
 * memory deltas, hence the memory first.)
 */
export async function measureSlowLoris(
  scenario: SlowLorisScenario,
  timing: Timing,
): Promise<Sample> {
  const server = fork(SERVER, [], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(server, 'exit');
  try {
    const { port } = await reply<{ port: number }>(server, 'port');
    const echo: EchoScenario = { ...scenario, app: 'echo' };
    // The baseline: the server once it has served a few such peers (its code paths compiled,
    // its allocators warm), then idle; only what the 1,000 add is counted.
    await trickle(port, WARM_UP_PEERS);
    const before = await idleMemory(server);
    const peers = await startNode({
      script: PEERS,
      args: ['--port', String(port), '--conns', String(scenario.lorisPeers)],
    });
    let during: ServerMemory;
    let loaded: Sample;
    try {
      await sleep(TRICKLE_MS);
      during = await memory(server);
      if (during.connections !== scenario.lorisPeers) {
        throw new Error(`${during.connections} connections open, not ${scenario.lorisPeers}`);
      }
      loaded = await runLoad(port, echo, timing);
    } finally {
      await peers.stop();
    }
    const quiet = await runLoad(port, echo, timing);
    return {
      quietMbPerSec: quiet.mbPerSec!,
      lorisMbPerSec: loaded.mbPerSec!,
      echoRatio: loaded.mbPerSec! / quiet.mbPerSec!,
      rssDeltaMb: (during.rss - before.rss) / 1e6,
      heapDeltaMb: (during.heap - before.heap) / 1e6,
      rssMb: during.rss / 1e6,
    };
  } finally {
    if (server.connected) server.disconnect();
    await exited;
  }
}
