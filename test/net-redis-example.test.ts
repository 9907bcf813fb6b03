import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { dial, readAll, until } from './net-helpers.js';
import { serveRedisExample } from './net-redis-helpers.js';

// examples/net/redis.ts, run as written in a child process, driven by a Redis client no one here
// wrote (ioredis) and by raw sockets for what a client library would never send.

/** An ioredis client that fails fast instead of retrying (a failure must show, not hang). */
function client(port: number): Redis {
  return new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 0, retryStrategy: () => null });
}

test('examples/net/redis.ts answers every command to ioredis', { timeout: 60_000 }, async (t) => {
  const { port } = await serveRedisExample(t);
  const redis = client(port);
  t.after(() => redis.disconnect());
  assert.equal(await redis.ping(), 'PONG');
  assert.equal(await redis.ping('hello'), 'hello');
  assert.equal(await redis.echo('a message'), 'a message');
  assert.equal(await redis.set('key', 'value'), 'OK');
  assert.equal(await redis.get('key'), 'value');
  assert.equal(await redis.get('missing'), null);
  assert.equal(await redis.set('key', 'another'), 'OK');
  assert.equal(await redis.get('key'), 'another');
  assert.equal(await redis.del('key', 'missing'), 1);
  assert.equal(await redis.get('key'), null);
  assert.equal(await redis.incr('counter'), 1);
  assert.equal(await redis.incr('counter'), 2);
  assert.equal(await redis.get('counter'), '2');
  assert.equal(await redis.set('negative', '-10'), 'OK');
  assert.equal(await redis.incr('negative'), -9);
  assert.equal(await redis.mset('a', '1', 'b', '2', 'c', ''), 'OK');
  assert.deepEqual(await redis.mget('a', 'b', 'c', 'missing'), ['1', '2', '', null]);
  assert.equal(await redis.del('a', 'b', 'c'), 3);

  const binaryKey = Buffer.from([0, 0xff, 0x0d, 0x0a, 0x80]);
  const binaryValue = Buffer.from([0x0d, 0x0a, 0, 0xfe, 0x2a, 0x24]);
  assert.equal(await redis.set(binaryKey, binaryValue), 'OK');
  assert.deepEqual(await redis.getBuffer(binaryKey), binaryValue);
  assert.equal(await redis.get(Buffer.from([0, 0xff, 0x0d, 0x0a, 0x81])), null);
});

test('examples/net/redis.ts answers errors as Redis does, and keeps the connection', {
  timeout: 60_000,
}, async (t) => {
  const { port } = await serveRedisExample(t);
  const redis = client(port);
  t.after(() => redis.disconnect());
  await redis.set('text', 'abc');
  await assert.rejects(redis.incr('text'), /ERR value is not an integer or out of range/);
  await redis.set('max', '9223372036854775807');
  await assert.rejects(redis.incr('max'), /ERR increment or decrement would overflow/);
  await redis.set('padded', '007');
  await assert.rejects(redis.incr('padded'), /not an integer/);
  await assert.rejects(redis.call('nosuch', 'x'), /ERR unknown command 'nosuch'/);
  await assert.rejects(redis.call('get'), /ERR wrong number of arguments for 'get' command/);
  await assert.rejects(redis.call('mset', 'a', '1', 'b'), /wrong number of arguments/);
  assert.equal(await redis.get('max'), '9223372036854775807');
  assert.equal(await redis.call('set', 'lower', 'case'), 'OK');
  assert.equal(await redis.call('GeT', 'lower'), 'case');
});

test('examples/net/redis.ts answers pipelined commands in order', {
  timeout: 60_000,
}, async (t) => {
  const { port } = await serveRedisExample(t);
  const redis = client(port);
  t.after(() => redis.disconnect());
  const pipeline = redis.pipeline();
  pipeline.ping().set('p', '1').incr('p').get('p').mset('x', 'y', 'z', 'w').mget('x', 'z', 'p');
  pipeline.echo('e').del('x', 'z').incr('x');
  const results = await pipeline.exec();
  assert.deepEqual(results, [
    [null, 'PONG'],
    [null, 'OK'],
    [null, 2],
    [null, '2'],
    [null, 'OK'],
    [null, ['y', 'w', '2']],
    [null, 'e'],
    [null, 2],
    [null, 1],
  ]);
  // Thousands in flight: the server sees them in reads that end mid-command.
  const many = redis.pipeline();
  for (let i = 0; i < 5000; i++) many.set(`k${i}`, `v${i}`).get(`k${i}`);
  const replies = (await many.exec())!;
  for (let i = 0; i < 5000; i++) {
    assert.deepEqual(replies[2 * i], [null, 'OK']);
    assert.deepEqual(replies[2 * i + 1], [null, `v${i}`]);
  }
});

test('examples/net/redis.ts stores and returns a 1 MiB value', { timeout: 60_000 }, async (t) => {
  const { port } = await serveRedisExample(t);
  const redis = client(port);
  t.after(() => redis.disconnect());
  const value = randomBytes(1024 * 1024);
  assert.equal(await redis.set('big', value), 'OK');
  assert.deepEqual(await redis.getBuffer('big'), value);
  assert.deepEqual(await redis.echoBuffer(value), value);
  const results = (await redis.pipeline().getBuffer('big').echoBuffer(value).ping().exec())!;
  assert.deepEqual(
    results.map(([err]) => err),
    [null, null, null],
  );
  const [got, echoed, pong] = results.map(([, result]) => result);
  assert.deepEqual(got, value);
  assert.deepEqual(echoed, value);
  assert.equal(pong, 'PONG');
});

test('examples/net/redis.ts parses commands split at every byte', {
  timeout: 60_000,
}, async (t) => {
  const { addr } = await serveRedisExample(t);
  const socket = await dial(addr);
  socket.setNoDelay(true);
  t.after(() => socket.destroy());
  const wire = Buffer.from(
    '*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$10\r\nsplit\r\nval\r\n' +
      '*2\r\n$3\r\nGET\r\n$3\r\nkey\r\nPING\r\n*1\r\n$4\r\nPING\r\n',
  );
  const expected = '+OK\r\n$10\r\nsplit\r\nval\r\n+PONG\r\n+PONG\r\n';
  let received = '';
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
  });
  const reply = async (): Promise<string> => {
    await until(() => received.length >= expected.length, 'answered');
    const got = received;
    received = '';
    return got;
  };
  for (let at = 1; at < wire.length; at++) {
    socket.write(wire.subarray(0, at));
    await sleep(2); // its own read, most of the time: a coalesced read must work too
    socket.write(wire.subarray(at));
    assert.equal(await reply(), expected, `split at ${at}`);
  }
  for (const byte of wire) {
    socket.write(Buffer.from([byte]));
    await sleep(1);
  }
  assert.equal(await reply(), expected, 'one byte per write');
});

test('examples/net/redis.ts closes a connection that sends garbage, and only that one', {
  timeout: 60_000,
}, async (t) => {
  const { addr, port } = await serveRedisExample(t);
  const redis = client(port);
  t.after(() => redis.disconnect());
  await redis.set('survivor', 'still here');
  const closes: unknown[] = [];
  redis.on('close', () => closes.push('close'));
  const garbage: [string | Uint8Array, RegExp][] = [
    ['*1\r\n+PING\r\n', /^-ERR Protocol error: expected '\$', got '\+'\r\n$/],
    ['*x\r\n', /^-ERR Protocol error: invalid multibulk length\r\n$/],
    ['*99999999999\r\n', /^-ERR Protocol error: invalid multibulk length\r\n$/],
    ['*1\r\n$-5\r\n', /^-ERR Protocol error: invalid bulk length\r\n$/],
    ['*1\r\n$3\r\nabcdef\r\n', /^-ERR Protocol error: bulk without CRLF\r\n$/],
    ['*1\rx', /^-ERR Protocol error: invalid multibulk count\r\n$/],
    // Not a '*' first (that would be a multibulk), and no newline: an endless inline command.
    [
      Buffer.concat([Buffer.from('x'), randomBytes(70_000).map((b) => (b === 0x0a ? 0 : b))]),
      /too big inline request\r\n$/,
    ],
    ['PING\r\n*1\r\n$4\r\nPING\r\n*z\r\nPING\r\n', /^\+PONG\r\n\+PONG\r\n-ERR Protocol error/],
  ];
  for (const [bytes, reply] of garbage) {
    const socket = await dial(addr);
    const received = readAll(socket); // resolves once the server closed the connection
    socket.write(bytes);
    assert.match((await received).toString('latin1'), reply);
    assert.equal(await redis.get('survivor'), 'still here');
  }
  assert.deepEqual(closes, [], 'the well-behaved client kept its connection');
  assert.equal(await redis.ping(), 'PONG');
});

test('examples/net/redis.ts answers QUIT with OK, then closes', { timeout: 60_000 }, async (t) => {
  const { port } = await serveRedisExample(t);
  const redis = client(port);
  t.after(() => redis.disconnect());
  assert.equal(await redis.ping(), 'PONG');
  const closed = once(redis, 'end');
  assert.equal(await redis.quit(), 'OK');
  await closed;
});
