// Helpers of the antpool/bullmq tests: a real redis-server of their own, and queue servers that
// are real child processes. This file does not load src/bullmq: on a machine without
// redis-server the queue tests register nothing, and coverage does not count code they never ran.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type TestContext, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export type Bullmq = typeof import('../src/bullmq/index.js');

/** The one line `npm test` prints when it skips the queue tests. */
export const INSTALL_REDIS =
  'redis-server not found, so the antpool/bullmq tests are skipped; install it to run them (Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis)';

const underCi = (): boolean => {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
};

let found: boolean | undefined;

/**
 * Whether redis-server runs here. Under CI a missing one throws: the queue tests may never be
 * skipped silently there.
 */
export function hasRedis(): boolean {
  found ??= spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!found && underCi()) {
    throw new Error(`CI=${process.env.CI}: ${INSTALL_REDIS.replace(', so', ' and')}`);
  }
  return found;
}

/** Every queue test gets generous bounds: a loaded machine passes, a hang fails. */
const TIMEOUT = 30_000;

/**
 * A test of antpool/bullmq: registered only when redis-server runs here (see
 * test/bullmq-redis-server.test.ts for the skip line), and given the module loaded from src.
 */
export function queueTest(name: string, fn: (t: TestContext, lib: Bullmq) => Promise<void>): void {
  if (!hasRedis()) return;
  test(name, { timeout: TIMEOUT }, async (t) => fn(t, await import('../src/bullmq/index.js')));
}

const cleanups = new WeakMap<TestContext, (() => unknown)[]>();

/**
 * Runs `fn` when the test ends, after whatever was deferred later (`t.after` runs first things
 * first): pools close before their servers, servers before Redis.
 */
export function defer(t: TestContext, fn: () => unknown): void {
  let stack = cleanups.get(t);
  if (stack === undefined) {
    const fns: (() => unknown)[] = [];
    stack = fns;
    cleanups.set(t, fns);
    t.after(async () => {
      for (const cleanup of fns.reverse()) await cleanup();
    });
  }
  stack.push(fn);
}

/** A redis-server of the test's own, on a free port, with its data in a temporary folder. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** SIGKILL: a crash. With `aof`, everything Redis acknowledged is on disk (`appendfsync always`). */
  kill(): Promise<void>;
  /** Starts it again on the same port, from the same folder. */
  start(): Promise<void>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/** Starts a redis-server; the test stops it and deletes its folder when it ends. */
export async function startRedis(t: TestContext, { aof = false } = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'antpool-redis-'));
  let child: ChildProcess | undefined;
  let port = 0;
  const launch = async (): Promise<void> => {
    const args = [
      ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''],
      ...['--appendonly', aof ? 'yes' : 'no', '--appendfsync', 'always'],
      ...['--daemonize', 'no', '--protected-mode', 'no', '--logfile', '', '--loglevel', 'notice'],
    ];
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    const log: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: proc.stdout! });
      lines.on('line', (line) => {
        log.push(line);
        if (line.includes('Ready to accept connections')) resolve();
      });
      proc.once('exit', (code) =>
        reject(new Error(`redis-server exited (${code}) before it was ready:\n${log.join('\n')}`)),
      );
    });
  };
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await launch();
      break;
    } catch (err) {
      if (attempt === 3) throw err; // another process took the port in between: try another
    }
  }
  const exit = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill(signal);
    await exited;
  };
  defer(t, async () => {
    await exit('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    kill: () => exit('SIGKILL'),
    start: launch,
    stop: () => exit('SIGTERM'),
  };
}

/** A port nobody listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** What test/fixtures/bullmq-server.mjs serves. */
export interface ServerConfig {
  queue: string;
  /** `thread`: a ThreadPool over test/fixtures/bullmq-jobs.mjs; `func`: a PoolWithFunc of ops. */
  processor: 'thread' | 'func';
  size?: number;
  concurrency?: number;
  lockDuration?: number;
  stalledInterval?: number;
  maxStalledCount?: number;
}

/** A queue server in a child process; every line it prints is kept. */
export interface ServerProcess {
  readonly pid: number;
  readonly lines: string[];
  /** Resolves with the first line matching `pattern`, printed already or later. */
  waitFor(pattern: RegExp, ms?: number): Promise<string>;
  /** Sends `signal` and resolves with the exit code once it exited. */
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** Starts `fixture` (a server of test/fixtures) as `node --import tsx`, once it prints `ready`. */
export async function startServer(
  t: TestContext,
  redis: RedisServer,
  config: ServerConfig,
  fixture = 'bullmq-server.mjs',
): Promise<ServerProcess> {
  const args = [
    '--import',
    'tsx',
    join(fixtures, fixture),
    JSON.stringify({ url: redis.url, ...config }),
  ];
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const stderr: string[] = [];
  const listeners = new Set<(line: string) => void>();
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const listener of listeners) listener(line);
  });
  createInterface({ input: proc.stderr! }).on('line', (line) => stderr.push(line));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
  const waitFor = (pattern: RegExp, ms = 20_000): Promise<string> => {
    const seen = lines.find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(
          new Error(
            `no line matching ${pattern} from ${fixture}:\n${[...lines, ...stderr].join('\n')}`,
          ),
        );
      }, ms);
      const listener = (line: string): void => {
        if (!pattern.test(line)) return;
        clearTimeout(timer);
        listeners.delete(listener);
        resolve(line);
      };
      listeners.add(listener);
      void exited.then(() => {
        if (!listeners.has(listener)) return;
        clearTimeout(timer);
        listeners.delete(listener);
        reject(new Error(`${fixture} exited:\n${[...lines, ...stderr].join('\n')}`));
      });
    });
  };
  const kill = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    return exited;
  };
  // SIGTERM first: a server closes and exits by itself (and writes its coverage); one that has
  // not within 3 s (a job that never ends) is killed.
  defer(t, async () => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
    await kill('SIGTERM');
    clearTimeout(timer);
  });
  // A server process under tsx on a loaded 2-core machine can take well over 20 s to start.
  await waitFor(/^ready/, 60_000);
  return { pid: proc.pid!, lines, waitFor, kill };
}

/** A logger that keeps what it receives, so that expected connection errors stay quiet. */
export function quietLogger(): {
  calls: unknown[][];
  error(message: string, ...args: unknown[]): void;
} {
  const calls: unknown[][] = [];
  return { calls, error: (message, ...args) => void calls.push([message, ...args]) };
}

/** Polls `read` until `accept` holds; fails after a generous bound. */
export async function until<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting until ${what}; last: ${JSON.stringify(value)}`);
    await sleep(25);
  }
}

/** A queue name of its own for each test. */
export function queueName(): string {
  return `test-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}
