import type { MedianScenario } from '../lib/medians.js';
import { REDIS_EXAMPLE, REDIS_SERVER } from './redis.js';

/** Connections of every load: the echo client's, and wrk's `-c`. */
export const CONNECTIONS = 100;
/** wrk's threads (`-t`): one, to leave the other core to the server. */
export const WRK_THREADS = 1;

/** How long each load runs. */
export interface Timing {
  /** Redis: requests of each redis-benchmark test (`-n`), not pipelined and pipelined. */
  readonly redisRequests: { readonly single: number; readonly pipelined: number };
  /** Seconds measured. */
  readonly seconds: number;
  /** Echo: load before the measured seconds, in ms. */
  readonly echoWarmupMs: number;
  /** HTTP: seconds of a first wrk run, not measured (0: none; wrk runs whole seconds). */
  readonly wrkWarmupSeconds: number;
}

/** The timing of a full run, and of `--quick`. */
export const TIMING: Readonly<Record<'full' | 'quick', Timing>> = {
  full: {
    seconds: 3,
    echoWarmupMs: 1000,
    wrkWarmupSeconds: 1,
    redisRequests: { single: 200_000, pipelined: 2_000_000 },
  },
  quick: {
    seconds: 1,
    echoWarmupMs: 500,
    wrkWarmupSeconds: 0,
    redisRequests: { single: 50_000, pipelined: 500_000 },
  },
};

/** What every network scenario has besides its targets and notes. */
interface NetScenarioBase extends MedianScenario {
  /** The plain Node server the table compares every contender with. */
  readonly reference: string;
}

/**
 * Echo over {@link CONNECTIONS} connections: each keeps `depth` messages of `size` bytes in
 * flight, writing `batch` at a time (see `echo-client.mjs`).
 */
export interface EchoScenario extends NetScenarioBase {
  readonly app: 'echo';
  readonly size: number;
  readonly depth: number;
  readonly batch: number;
}

/** HTTP GETs from wrk over {@link CONNECTIONS} connections, `pipeline` requests per write. */
export interface HttpScenario extends NetScenarioBase {
  readonly app: 'http';
  readonly pipeline: number;
}

/**
 * `redis-benchmark -t ping_mbulk,set,get -c 50 -P pipeline` against the Redis example and
 * against redis-server itself.
 */
export interface RedisScenario extends NetScenarioBase {
  readonly app: 'redis';
  readonly pipeline: number;
}

/**
 * `lorisPeers` slow-loris peers (one byte a second each) on an engine without `idleTimeout`: their
 * memory, and the echo load of an {@link EchoScenario} with them against without.
 */
export interface SlowLorisScenario extends NetScenarioBase {
  readonly app: 'slowloris';
  readonly lorisPeers: number;
  readonly size: number;
  readonly depth: number;
  readonly batch: number;
}

/** A network scenario: `app` says which. */
export type NetScenario = EchoScenario | HttpScenario | RedisScenario | SlowLorisScenario;

/** antpool/net with one event loop: the baseline. */
export const ANTPOOL = 'antpool/net';
/** `numEventLoop: 2, loops: 'threads'`: loop 1 a worker thread, both on the port (reusePort). */
export const ANTPOOL_THREADS = 'antpool/net (2 thread loops)';
/** `numEventLoop: 2, loops: 'processes'`: loop 1 a child process loop 0 hands connections to. */
export const ANTPOOL_PROCESSES = 'antpool/net (2 process loops)';
const NODE_NET = 'node:net';
const NODE_HTTP = 'node:http';

/** The server's memory: every process of it, summed, at its peak under load. */
const rss = { metric: 'rssMb', unit: 'MB', digits: 0 };
/** The same, listening before the load: what each loop costs by itself. */
const idleRss = { metric: 'idleRssMb', unit: 'MB', digits: 0 };

/** Two loops as threads against two as processes (issue 12's targets: less memory, as fast). */
function loopNotes(name: string, throughput: { metric: string; unit: string; digits: number }) {
  return [
    { name, subject: ANTPOOL_THREADS, versus: ANTPOOL_PROCESSES, ...throughput },
    { name: 'idle server RSS', subject: ANTPOOL_THREADS, versus: ANTPOOL_PROCESSES, ...idleRss },
    { name: 'peak server RSS', subject: ANTPOOL_THREADS, versus: ANTPOOL_PROCESSES, ...rss },
    { name, subject: ANTPOOL_THREADS, versus: ANTPOOL, ...throughput },
  ];
}

const KiB = 1024;

/** An echo scenario for messages of `size` bytes, with antpool/net's target against node:net. */
function echo(id: string, size: number, depth: number, batch: number): EchoScenario {
  const kib = `${size / KiB} KiB`;
  const mbPerSec = { metric: 'mbPerSec', unit: 'MB/s', digits: 1 };
  return {
    id,
    title: `echo, ${kib} messages (${depth} in flight per connection, ${batch} per write)`,
    app: 'echo',
    size,
    depth,
    batch,
    baseline: ANTPOOL,
    reference: NODE_NET,
    contenders: [ANTPOOL, ANTPOOL_THREADS, ANTPOOL_PROCESSES, NODE_NET],
    targets: [
      {
        kind: 'versus',
        label: `${ANTPOOL} MB/s >= 0.9x ${NODE_NET}'s (${kib})`,
        versus: NODE_NET,
        factor: 0.9,
        better: 'higher',
        ...mbPerSec,
      },
    ],
    notes: loopNotes('MB/s', mbPerSec),
  };
}

const reqPerSec = { metric: 'reqPerSec', unit: 'req/s', digits: 0 };

/** An HTTP scenario with `pipeline` requests per write; the ratio to node:http is noted. */
function http(id: string, pipeline: number): HttpScenario {
  return {
    id,
    title: pipeline === 1 ? 'HTTP, not pipelined' : `HTTP, ${pipeline} requests pipelined`,
    app: 'http',
    pipeline,
    baseline: ANTPOOL,
    reference: NODE_HTTP,
    contenders: [ANTPOOL, ANTPOOL_THREADS, ANTPOOL_PROCESSES, NODE_HTTP],
    targets: [],
    notes: [
      { name: 'requests/s', versus: NODE_HTTP, ...reqPerSec },
      ...loopNotes('requests/s', reqPerSec),
    ],
  };
}

/** Targets of issue 14 for the Redis example against redis-server, on each test's requests/s. */
function redis(id: string, pipeline: number, factor: number): RedisScenario {
  const tests = [
    ['PING_MBULK', 'pingRps'],
    ['SET', 'setRps'],
    ['GET', 'getRps'],
  ] as const;
  return {
    id,
    title: `Redis protocol, ${pipeline === 1 ? 'not pipelined' : `${pipeline} commands pipelined`}`,
    app: 'redis',
    pipeline,
    baseline: REDIS_EXAMPLE,
    reference: REDIS_SERVER,
    contenders: [REDIS_EXAMPLE, REDIS_SERVER],
    targets: tests.map(([test, metric]) => ({
      kind: 'versus',
      label: `${test}: the example >= ${factor}x redis-server's requests/s`,
      versus: REDIS_SERVER,
      factor,
      better: 'higher',
      metric,
      unit: 'req/s',
      digits: 0,
    })),
  };
}

/** Issue 14's slow-loris targets: under 10 MB for 1,000 peers, other clients not slowed. */
function slowLoris(id: string, peers: number): SlowLorisScenario {
  return {
    id,
    title: `${peers.toLocaleString('en-US')} slow-loris peers, no idleTimeout`,
    app: 'slowloris',
    lorisPeers: peers,
    size: KiB,
    depth: 32,
    batch: 8,
    baseline: ANTPOOL,
    reference: ANTPOOL,
    contenders: [ANTPOOL],
    targets: [
      {
        kind: 'absolute',
        label: `${peers} slow-loris peers cost the server < 10 MB of RSS`,
        metric: 'rssDeltaMb',
        goal: 10,
        better: 'lower',
        unit: 'MB',
        digits: 1,
      },
      {
        kind: 'absolute',
        label: 'echo throughput with them >= 0.9x without (other clients not slowed)',
        metric: 'echoRatio',
        goal: 0.9,
        better: 'higher',
        unit: 'x',
        digits: 2,
      },
    ],
  };
}

/**
 * `scenario` as this Node can run it: without thread loops where `net` has no `reusePort`
 * (before Node 22.12, or off Linux), nor the notes about them.
 */
export function runnableHere<S extends NetScenario>(scenario: S): S {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const reusePort = major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
  if (process.platform === 'linux' && reusePort) return scenario;
  const without = (name: string | undefined) => name !== ANTPOOL_THREADS;
  return {
    ...scenario,
    contenders: scenario.contenders.filter(without),
    notes: scenario.notes?.filter((note) => without(note.subject) && without(note.versus)),
  };
}

/**
 * The scenarios of issue 5: echo throughput at 1 KiB and 16 KiB (about 32 and 64 KiB in flight
 * per connection, writes of 8 and 16 KiB), then HTTP requests/s with wrk, plain and pipelined;
 * and issue 14's: the Redis example against redis-server under redis-benchmark, plain and
 * pipelined, and 1,000 slow-loris peers.
 */
export const SCENARIOS: readonly NetScenario[] = [
  echo('1', 1 * KiB, 32, 8),
  echo('2', 16 * KiB, 4, 1),
  http('3', 1),
  http('4', 16),
  redis('5', 1, 0.8),
  redis('6', 16, 0.5),
  slowLoris('7', 1000),
];
