import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  Action,
  type Conn,
  ConnClosedError,
  type EngineView,
  FrameTooLongError,
  LengthFieldBasedFrameCodec,
  LineBasedFrameCodec,
  start,
} from '../src/net/index.js';
import { deferred, recordingLogger } from './helpers.js';
import { dial, readAll, readExactly, socketPath } from './net-helpers.js';

const TCP = 'tcp://127.0.0.1:0';

test('context set in onOpen is there in onClose', async () => {
  const closed = deferred<unknown>();
  const engine = await start(
    {
      onOpen(conn) {
        conn.context = { user: 'ada' };
      },
      onClose: (conn) => closed.resolve(conn.context),
    },
    TCP,
  );
  (await dial(engine.addrs[0]!)).end();
  assert.deepEqual(await closed.promise, { user: 'ada' });
  await engine.stop();
});

test('Close from onOpen and onTraffic: what was written first still reaches the client', async () => {
  const reasons: (Error | null)[] = [];
  const engine = await start(
    {
      onOpen(conn) {
        conn.write('hello ');
      },
      onTraffic(conn) {
        conn.write(`bye ${conn.next().toString()}`);
        return Action.Close;
      },
      onClose: (_conn, err) => void reasons.push(err),
    },
    TCP,
  );
  const client = await dial(engine.addrs[0]!);
  const all = readAll(client);
  client.write('ada');
  assert.equal((await all).toString(), 'hello bye ada');
  const opener = await start(
    {
      onOpen(conn) {
        conn.write('no');
        return Action.Close;
      },
    },
    TCP,
  );
  assert.equal((await readAll(await dial(opener.addrs[0]!))).toString(), 'no');
  assert.deepEqual(reasons, [null], 'closed by the handler: onClose gets null');
  await engine.stop();
  await opener.stop();
});

test('Shutdown from onTraffic stops the engine; run-style done resolves', async () => {
  const engine = await start({ onTraffic: () => Action.Shutdown }, TCP);
  const client = await dial(engine.addrs[0]!);
  const ended = readAll(client);
  client.write('stop');
  await engine.done;
  await ended;
  assert.equal(engine.countConnections(), 0);
  await assert.rejects(engine.stop(), { code: 'ERR_ENGINE_IN_SHUTDOWN' });
});

test('Shutdown from onOpen and from onBoot', async () => {
  const engine = await start({ onOpen: () => Action.Shutdown }, TCP);
  await dial(engine.addrs[0]!);
  await engine.done;
  let shutdowns = 0;
  const booted = await start(
    { onBoot: () => Action.Shutdown, onShutdown: () => void shutdowns++ },
    TCP,
  );
  await booted.done; // already stopped
  assert.equal(shutdowns, 1);
});

test('stop() from outside ends every client, counts 0; a second stop() rejects', async () => {
  const booted = deferred<EngineView>();
  const shutdown = deferred();
  const engine = await start(
    { onBoot: (view) => booted.resolve(view), onShutdown: () => shutdown.resolve() },
    TCP,
  );
  assert.equal(await booted.promise, engine);
  const clients = await Promise.all(Array.from({ length: 5 }, () => dial(engine.addrs[0]!)));
  const ends = clients.map(readAll);
  while (engine.countConnections() < 5) await new Promise((resolve) => setImmediate(resolve));
  await engine.stop();
  await Promise.all(ends);
  await shutdown.promise;
  assert.equal(engine.countConnections(), 0);
  await assert.rejects(engine.stop(), { code: 'ERR_ENGINE_IN_SHUTDOWN' });
});

test('wake() delivers an onTraffic with no new bytes', async () => {
  let calls = 0;
  const engine = await start(
    {
      onOpen: (conn) => conn.wake(),
      onTraffic(conn) {
        calls++;
        conn.write(`traffic ${conn.inboundBuffered}`);
        return Action.Close;
      },
    },
    TCP,
  );
  assert.equal((await readAll(await dial(engine.addrs[0]!))).toString(), 'traffic 0');
  assert.equal(calls, 1);
  await engine.stop();
});

test('asyncWrite after the peer left rejects ConnClosedError; write throws it', async () => {
  const closed = deferred<Conn>();
  const engine = await start({ onClose: (conn) => closed.resolve(conn) }, TCP);
  (await dial(engine.addrs[0]!)).destroy();
  const conn = await closed.promise;
  await assert.rejects(conn.asyncWrite('late'), ConnClosedError);
  assert.throws(() => conn.write('late'), ConnClosedError);
  await engine.stop();
});

test('the peer closing gives onClose a ConnClosedError', async () => {
  const reason = deferred<Error | null>();
  const engine = await start({ onClose: (_conn, err) => reason.resolve(err) }, TCP);
  (await dial(engine.addrs[0]!)).end();
  assert.ok((await reason.promise) instanceof ConnClosedError);
  await engine.stop();
});

test('with a codec, onTraffic sees frames; a frame over maxFrameLength closes with the error', async () => {
  const reason = deferred<Error | null>();
  const engine = await start(
    {
      onTraffic(conn) {
        for (let frame = conn.readFrame(); frame; frame = conn.readFrame()) {
          conn.writeFrame(Buffer.from(frame.toString().toUpperCase()));
        }
      },
      onClose: (_conn, err) => reason.resolve(err),
    },
    TCP,
    { codec: new LineBasedFrameCodec({ maxFrameLength: 16 }) },
  );
  const client = await dial(engine.addrs[0]!);
  const all = readAll(client);
  client.write('one\r\ntw');
  client.write('o\n');
  client.write('x'.repeat(64));
  assert.equal((await all).toString(), 'ONE\nTWO\n');
  assert.ok((await reason.promise) instanceof FrameTooLongError);
  await engine.stop();
});

test('a throwing handler is logged and closes only its connection', async () => {
  const logger = recordingLogger();
  const reason = deferred<Error | null>();
  const engine = await start(
    {
      onTraffic() {
        throw new Error('handler bug');
      },
      onClose: (_conn, err) => reason.resolve(err),
    },
    TCP,
    { logger },
  );
  const client = await dial(engine.addrs[0]!);
  client.write('x');
  assert.equal((await reason.promise)?.message, 'handler bug');
  assert.match(String(logger.calls[0]?.[0]), /onTraffic threw/);
  await assert.rejects(
    start(
      {
        onBoot: () => {
          throw new Error('boot');
        },
      },
      TCP,
    ),
    /boot/,
  );
  await engine.stop();
});

test('the ticker fires after boot, then after each delay, until it returns no delay', async () => {
  const ticks: number[] = [];
  const done = deferred();
  const engine = await start(
    {
      onTick() {
        ticks.push(ticks.length);
        if (ticks.length === 3) {
          done.resolve();
          return Number.NaN;
        }
        return 1;
      },
    },
    TCP,
    { ticker: true },
  );
  await done.promise;
  await engine.stop();
  assert.deepEqual(ticks, [0, 1, 2]);
  const shut = await start({ onTick: () => ({ delay: 0, action: Action.Shutdown }) }, TCP, {
    ticker: true,
  });
  await shut.done;
});

test('addresses: bad ones get their codes; a stale Unix socket file is EADDRINUSE', async () => {
  await assert.rejects(start({}, 'http://127.0.0.1:80'), { code: 'ERR_UNSUPPORTED_PROTOCOL' });
  for (const bad of ['127.0.0.1:80', 'tcp://127.0.0.1', 'tcp://host:99999', 'unix://', 42]) {
    await assert.rejects(
      start({}, bad as string),
      { code: 'ERR_INVALID_NETWORK_ADDRESS' },
      String(bad),
    );
  }
  const path = socketPath();
  writeFileSync(path, '');
  await assert.rejects(start({}, `unix://${path}`), { code: 'EADDRINUSE' });
  const own = socketPath();
  const engine = await start({}, `unix://${own}`);
  assert.equal(existsSync(own), true);
  await engine.stop();
  assert.equal(existsSync(own), false, 'the engine removes its own socket file');
});

// The error code `start` rejects with; an address that should fail but listens stops again.
async function codeOf(addr: string): Promise<unknown> {
  try {
    const engine = await start({}, addr);
    await engine.stop();
    return 'listening';
  } catch (err) {
    return (err as { code?: unknown }).code;
  }
}

test('addresses: an unknown RFC 3986 scheme is unsupported, a non-scheme malformed', async () => {
  const unsupported = [
    'foo-bar://x',
    'a+b://x',
    'x.y://h',
    'svn+ssh://host:22',
    'A1.b-C+d://127.0.0.1:80',
    'constructor://127.0.0.1:0', // a name Object.prototype has is no scheme of ours either
  ];
  for (const addr of unsupported) {
    assert.equal(await codeOf(addr), 'ERR_UNSUPPORTED_PROTOCOL', addr);
  }
  // A scheme starts with a letter and holds only letters, digits, `+`, `-` and `.`.
  for (const addr of ['1tcp://127.0.0.1:80', '-a://x', '+a://x', '.x://h', 'a_b://x', '://h:1']) {
    assert.equal(await codeOf(addr), 'ERR_INVALID_NETWORK_ADDRESS', addr);
  }
  assert.equal(await codeOf('TCP://127.0.0.1:0'), 'listening', 'schemes are case-insensitive');
});

test('several loops need a handler module', async () => {
  await assert.rejects(start({}, TCP, { numEventLoop: 2 }), { code: 'ERR_HANDLER_NOT_MODULE' });
});

test('reusePort is refused where Node cannot honour it', async () => {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 12)) return;
  await assert.rejects(start({}, TCP, { reusePort: true }), { code: 'ERR_INVALID_OPTION' });
});

test('readBufferCap: reading pauses while the handler leaves bytes unconsumed', async () => {
  const MiB = 1024 * 1024;
  let most = 0;
  let consumed = 0;
  let draining = false;
  let conn: Conn | undefined;
  const all = deferred();
  const engine = await start(
    {
      onTraffic(c) {
        conn = c;
        most = Math.max(most, c.inboundBuffered);
        if (!draining) return;
        consumed += c.discard();
        if (consumed === MiB) all.resolve();
      },
    },
    TCP,
    { readBufferCap: 16 * 1024 },
  );
  const client = await dial(engine.addrs[0]!);
  client.write(Buffer.alloc(MiB));
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.ok(most < MiB / 2, `it stopped reading at ${most} bytes`);
  draining = true;
  conn!.wake();
  await all.promise;
  client.destroy();
  await engine.stop();
});

test('a user codec frames a live connection', async () => {
  // Frames: one length byte, then the payload.
  const codec = {
    encode: (_conn: unknown, data: Uint8Array) => Buffer.concat([Buffer.from([data.length]), data]),
    decode(conn: Conn) {
      if (conn.inboundBuffered < 1) return undefined;
      const length = conn.peek(1)[0]!;
      if (conn.inboundBuffered < 1 + length) return undefined;
      conn.discard(1);
      return conn.next(length);
    },
  };
  const engine = await start(
    {
      onTraffic(conn) {
        for (let frame = conn.readFrame(); frame; frame = conn.readFrame()) {
          conn.writeFrame(Buffer.from(`<${frame.toString()}>`));
        }
      },
    },
    TCP,
    { codec },
  );
  const client = await dial(engine.addrs[0]!);
  const reply = readExactly(client, 11);
  client.write(Buffer.from([2, 0x68, 0x69, 3]));
  client.write('abc');
  assert.equal((await reply).toString('latin1'), '\u0004<hi>\u0005<abc>');
  client.destroy();
  await engine.stop();
});

test('Action.Close releases the connection even when the peer never sends its FIN', {
  timeout: 10_000,
}, async () => {
  const closed = deferred<Error | null>();
  const engine = await start(
    {
      onTraffic(conn) {
        conn.write('bye');
        return Action.Close;
      },
      onClose: (_conn, err) => closed.resolve(err),
    },
    TCP,
  );
  const url = /:(\d+)$/.exec(engine.addrs[0]!)!;
  const { connect } = await import('node:net');
  const client = connect({ host: '127.0.0.1', port: Number(url[1]), allowHalfOpen: true });
  client.on('data', () => {});
  client.write('hi');
  assert.equal(await closed.promise, null);
  assert.equal(engine.countConnections(), 0);
  await engine.stop();
  client.destroy();
});

test('asyncWrite rejects ConnClosedError when the connection dies before its bytes are sent', async () => {
  // Held in an object: a promise resolved with a promise would wait for it.
  const written = deferred<{ write: Promise<void> }>();
  const engine = await start(
    {
      onOpen: (conn) => written.resolve({ write: conn.asyncWrite(Buffer.alloc(64 * 1024 * 1024)) }),
    },
    TCP,
  );
  const client = await dial(engine.addrs[0]!);
  client.pause(); // reads nothing: most of the 64 MiB cannot leave
  const { write } = await written.promise;
  client.resetAndDestroy();
  await assert.rejects(write, ConnClosedError);
  await engine.stop();
});

test('the ticker survives a throwing onTick, and stop() from onTick ends it', async () => {
  const logger = recordingLogger();
  let ticks = 0;
  let engine: EngineView | undefined;
  const engineSeen = deferred<EngineView>();
  const started = await start(
    {
      onBoot: (view) => engineSeen.resolve(view),
      onTick() {
        ticks++;
        if (ticks === 2) throw new Error('tick bug');
        if (ticks === 4) void engine?.stop();
        return 1;
      },
    },
    TCP,
    { ticker: true, logger },
  );
  engine = await engineSeen.promise;
  await started.done;
  const atStop = ticks;
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(ticks, atStop, 'no tick after stop()');
  assert.equal(atStop, 4, 'a throwing tick kept the ticker going');
  assert.match(String(logger.calls[0]?.[0]), /onTick threw/);
  const nullTick = await start({ onTick: () => null as never }, TCP, { ticker: true });
  await nullTick.stop(); // a null answer just stops the ticker
});

test('multicore with a handler object rejects, whatever the core count', async () => {
  await assert.rejects(start({}, TCP, { multicore: true }), { code: 'ERR_HANDLER_NOT_MODULE' });
});

test('engine options of the wrong kind are InvalidArgumentErrors', async () => {
  for (const options of [
    { lb: 'bogus' },
    { writeBufferCap: -1 },
    { readBufferCap: 'x' },
    { tcpKeepAlive: -5 },
    { ticker: 'yes' },
    { codec: {} },
    { idleTimeout: -1 },
    { idleTimeout: Number.POSITIVE_INFINITY },
    { maxConnections: 0 },
    { tls: 5 },
    { logger: {} },
  ]) {
    await assert.rejects(
      start({}, TCP, options as never),
      { name: 'InvalidArgumentError', code: 'ERR_INVALID_OPTION' },
      JSON.stringify(options),
    );
  }
});

test('a writeBufferCap below the socket high-water mark still lets reading resume', async () => {
  let requests = 0;
  const engine = await start(
    {
      onTraffic(conn) {
        requests += conn.next().length;
        conn.write(Buffer.alloc(8 * 1024));
      },
    },
    TCP,
    { writeBufferCap: 4096 },
  );
  const client = await dial(engine.addrs[0]!);
  for (let i = 1; i <= 5; i++) {
    const reply = readExactly(client, 8 * 1024);
    client.write('x');
    await reply;
  }
  assert.equal(requests, 5);
  client.destroy();
  await engine.stop();
});

test('readBufferCap with a codec: a frame larger than the cap still arrives whole', {
  timeout: 10_000,
}, async () => {
  const codec = new LengthFieldBasedFrameCodec(
    { lengthFieldLength: 4 },
    { lengthFieldLength: 4, initialBytesToStrip: 4 },
  );
  const engine = await start(
    {
      onTraffic(conn) {
        for (let frame = conn.readFrame(); frame; frame = conn.readFrame()) {
          conn.write(String(frame.length));
        }
      },
    },
    TCP,
    { codec, readBufferCap: 64 * 1024 },
  );
  const client = await dial(engine.addrs[0]!);
  const reply = readExactly(client, 6);
  client.write(codec.encode(undefined, Buffer.alloc(256 * 1024)));
  assert.equal((await reply).toString(), String(256 * 1024));
  client.destroy();
  await engine.stop();
});
