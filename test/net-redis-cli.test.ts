import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { serveRedisExample } from './net-redis-helpers.js';

// examples/net/redis.ts with Redis' own command-line clients (Debian's redis-tools), when
// they are installed.

const run = promisify(execFile);
const installed = (command: string): boolean =>
  spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
const noCli = installed('redis-cli') ? false : 'redis-cli is not installed (redis-tools)';
const noBenchmark = installed('redis-benchmark')
  ? false
  : 'redis-benchmark is not installed (redis-tools)';

test('redis-cli talks to examples/net/redis.ts', { skip: noCli, timeout: 60_000 }, async (t) => {
  const { host, port } = await serveRedisExample(t);
  const cli = async (...args: string[]): Promise<string> =>
    (await run('redis-cli', ['-h', host, '-p', String(port), ...args])).stdout;
  assert.equal(await cli('PING'), 'PONG\n');
  assert.equal(await cli('SET', 'greeting', 'hello world'), 'OK\n');
  assert.equal(await cli('GET', 'greeting'), 'hello world\n');
  assert.equal(await cli('INCR', 'n'), '1\n');
  assert.equal(await cli('MSET', 'a', '1', 'b', '2'), 'OK\n');
  assert.equal(await cli('MGET', 'a', 'b', 'nothing'), '1\n2\n\n');
  assert.equal(await cli('DEL', 'a', 'b', 'nothing'), '2\n');
  assert.equal(await cli('ECHO', 'echoed'), 'echoed\n');
  // Several commands on one connection, from stdin (redis-cli pipes them as it reads them).
  const piped = run('redis-cli', ['-h', host, '-p', String(port)]);
  piped.child.stdin!.end('SET piped yes\nGET piped\nPING\n');
  const { stdout } = await piped;
  assert.equal(stdout, 'OK\nyes\nPONG\n');
});

test('redis-benchmark runs against examples/net/redis.ts', {
  skip: noBenchmark,
  timeout: 120_000,
}, async (t) => {
  const { host, port } = await serveRedisExample(t);
  for (const pipeline of ['1', '16']) {
    const { stdout } = await run('redis-benchmark', [
      ...['-h', host, '-p', String(port), '-t', 'ping_inline,ping_mbulk,set,get'],
      ...['-n', '2000', '-c', '10', '-P', pipeline, '--csv'],
    ]);
    const tests = stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => JSON.parse(`[${line}]`)[0] as string);
    assert.deepEqual(tests, ['PING_INLINE', 'PING_MBULK', 'SET', 'GET'], stdout);
  }
});
