/**
 * The Redis scenarios' servers and load: `examples/net/redis.ts` (antpool/net, one event loop)
 * and a real `redis-server`, each started fresh on a free port, put under `redis-benchmark`.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Sample } from '../lib/measurement.js';

/** The example, run as its header says (one event loop). */
export const REDIS_EXAMPLE = 'antpool/net (examples/net/redis.ts)';
/** Redis itself, without persistence. */
export const REDIS_SERVER = 'redis-server';
/** redis-benchmark's clients (`-c`). */
export const REDIS_CLIENTS = 50;
/** redis-benchmark's tests (`-t`), and the metric each one's requests/s goes to. */
export const REDIS_TESTS = { PING_MBULK: 'pingRps', SET: 'setRps', GET: 'getRps' } as const;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Whether `redis-benchmark` and `redis-server` can be run. */
export function redisToolsInstalled(): boolean {
  return ['redis-benchmark', 'redis-server'].every(
    (command) => spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0,
  );
}

/** A server under test: where it listens, its process (for its memory), and how to stop it. */
export interface RedisContender {
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts `contender` on a free port of 127.0.0.1; resolves once it accepts connections. */
export function startRedisContender(contender: string): Promise<RedisContender> {
  return contender === REDIS_SERVER ? startRedisServer() : startExample();
}

/**
 * The example under tsx, as its header says to run it (tsx transpiles it once at start; the
 * handler then runs as plain JavaScript).
 */
async function startExample(): Promise<RedisContender> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'examples/net/redis.ts', 'tcp://127.0.0.1:0'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await firstLine(child, /listening on tcp:\/\/127\.0\.0\.1:(\d+)/);
  return { port: Number(line[1]), pid: child.pid!, stop: () => kill(child) };
}

/** redis-server without persistence, its working folder a fresh temporary one. */
async function startRedisServer(): Promise<RedisContender> {
  const dir = mkdtempSync(join(tmpdir(), 'antpool-bench-redis-'));
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await firstLine(child, /Ready to accept connections/);
  const stop = async () => {
    await kill(child);
    rmSync(dir, { recursive: true, force: true });
  };
  return { port, pid: child.pid!, stop };
}

/** A port nothing listens on now (the system's pick for port 0). */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as import('node:net').AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The first line of the child's stdout that matches `pattern`. */
async function firstLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`${child.spawnargs.join(' ')} exited with ${code} before it listened`);
  });
  const lines = createInterface({ input: child.stdout! });
  const found = (async () => {
    for await (const line of lines) {
      const match = pattern.exec(line);
      if (match !== null) return match;
    }
    throw new Error(`${child.spawnargs.join(' ')} never printed ${pattern}`);
  })();
  try {
    return await Promise.race([found, exited]);
  } finally {
    child.stdout!.resume(); // what it prints later must not fill the pipe and block it
  }
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exit = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exit.finally(() => clearTimeout(timer));
}

/**
 * `redis-benchmark -t ping_mbulk,set,get -c 50 -n requests -P pipeline` against `port`:
 * requests/s of each test, from its CSV.
 * @throws Error when a test is missing from its output.
 */
export async function redisBenchmark(
  port: number,
  pipeline: number,
  requests: number,
): Promise<Sample> {
  const args = [
    ...['-h', '127.0.0.1', '-p', String(port), '-c', String(REDIS_CLIENTS)],
    ...['-t', 'ping_mbulk,set,get', '-n', String(requests), '-P', String(pipeline), '--csv'],
  ];
  const csv = await runAll('redis-benchmark', args);
  const sample: Record<string, number> = {};
  for (const line of csv.split('\n')) {
    const [test, rps] = line.split(',').map((field) => field.replace(/"/g, ''));
    const metric = REDIS_TESTS[test as keyof typeof REDIS_TESTS];
    if (metric !== undefined) sample[metric] = Number(rps);
  }
  for (const metric of Object.values(REDIS_TESTS)) {
    if (!(sample[metric]! > 0)) throw new Error(`redis-benchmark ${args.join(' ')}:\n${csv}`);
  }
  return sample;
}

/** Everything `command` printed on stdout (runCommand keeps only the last line). */
async function runAll(command: string, args: readonly string[]): Promise<string> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  const [code] = await once(child, 'close');
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}`);
  return out;
}
