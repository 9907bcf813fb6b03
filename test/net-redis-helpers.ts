import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The Redis example as a child process, and where it listens. */
export interface RedisExample {
  readonly addr: string;
  readonly host: string;
  readonly port: number;
  readonly server: ChildProcess;
}

/**
 * Runs `examples/net/redis.ts` as written, on a free port; stopped when the test ends, failed or
 * not (a server left running would keep the test file from ending).
 */
export async function serveRedisExample(t: TestContext): Promise<RedisExample> {
  const server = spawn(
    process.execPath,
    ['--import', 'tsx', 'examples/net/redis.ts', 'tcp://127.0.0.1:0'],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  t.after(() => stopChild(server));
  const lines = createInterface({ input: server.stdout! });
  const [first] = (await once(lines, 'line')) as [string];
  const addr = /listening on (\S+)/.exec(first)?.[1];
  assert.ok(addr, `the example printed its address: ${first}`);
  const url = new URL(addr);
  return { addr, host: url.hostname, port: Number(url.port), server };
}

/** Ends a child process, if it still runs, and waits for it. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill();
  await once(child, 'exit');
}
