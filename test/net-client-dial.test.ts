import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { test } from 'node:test';
import {
  type Conn,
  ConnClosedError,
  createClient,
  LineBasedFrameCodec,
  start,
} from '../src/net/index.js';
import { deferred, socketPath, until } from './net-helpers.js';

const upper = {
  onTraffic(conn: Conn) {
    for (let frame = conn.readFrame(); frame !== undefined; frame = conn.readFrame()) {
      conn.writeFrame(Buffer.from(frame.toString().toUpperCase()));
    }
  },
};

/** A client that collects every frame it reads into its conn's context (an array). */
async function lineClient() {
  const opened: unknown[] = [];
  const client = await createClient(
    {
      onOpen: (conn) => void opened.push(conn.context),
      onTraffic(conn) {
        const frames = conn.context as string[];
        for (let frame = conn.readFrame(); frame !== undefined; frame = conn.readFrame()) {
          frames.push(frame.toString());
        }
      },
    },
    { codec: new LineBasedFrameCodec() },
  );
  return { client, opened };
}

for (const kind of ['tcp', 'unix'] as const) {
  test(`dial ${kind}: a dialled conn speaks the codec, with the context set before onOpen`, async () => {
    const addr = kind === 'tcp' ? 'tcp://127.0.0.1:0' : `unix://${socketPath()}`;
    const engine = await start(upper, addr, { codec: new LineBasedFrameCodec() });
    const { client, opened } = await lineClient();
    const frames: string[] = [];
    const conn = await client.dial(engine.addrs[0]!, { context: frames });
    assert.deepEqual(opened, [frames], 'onOpen ran, with the context, before dial resolved');
    assert.equal(conn.tls, false);
    if (kind === 'tcp') {
      assert.equal(conn.remoteAddr, engine.addrs[0]);
      assert.match(conn.localAddr, /^tcp:\/\/127\.0\.0\.1:\d+$/);
    } else {
      assert.equal(conn.remoteAddr, engine.addrs[0]);
      assert.equal(conn.localAddr, '');
    }
    conn.writeFrame(Buffer.from('hello'));
    await conn.asyncWrite('gnet\n');
    await until(() => frames.length === 2, 'answered');
    assert.deepEqual(frames, ['HELLO', 'GNET']);
    assert.equal(client.countConnections(), 1);
    await client.stop();
    await engine.stop();
  });
}

test('dial udp: a connected datagram socket, each write one datagram, each reply one onTraffic', async () => {
  const engine = await start({ onTraffic: (conn) => conn.write(conn.next()) }, 'udp://127.0.0.1:0');
  const replies: string[] = [];
  const closed = deferred<Error | null>();
  const client = await createClient({
    onTraffic: (conn) => void replies.push(conn.next().toString()),
    onClose: (_conn, err) => closed.resolve(err),
  });
  const conn = await client.dial(engine.addrs[0]!);
  assert.equal(conn.remoteAddr, engine.addrs[0]);
  assert.match(conn.localAddr, /^udp:\/\/127\.0\.0\.1:\d+$/);
  conn.write('one');
  await until(() => replies.length === 1, 'answered once');
  conn.writev([Buffer.from('tw'), Buffer.from('o')]);
  await until(() => replies.length === 2, 'answered twice');
  await conn.asyncWrite('three');
  await until(() => replies.length === 3, 'answered three times');
  assert.deepEqual(replies, ['one', 'two', 'three']);
  await conn.close();
  assert.equal(await closed.promise, null);
  assert.equal(client.countConnections(), 0);
  assert.throws(() => conn.write('late'), ConnClosedError);
  await client.stop();
  await engine.stop();
});

test('wake() on a dialled conn runs onTraffic with no new bytes; asyncWrite from outside', async () => {
  const engine = await start({ onTraffic: (conn) => conn.write(conn.next()) }, 'tcp://127.0.0.1:0');
  const woken = deferred<number>();
  const echoed = deferred<string>();
  const client = await createClient({
    onTraffic(conn) {
      if (conn.inboundBuffered === 0) woken.resolve(0);
      else echoed.resolve(conn.next().toString());
    },
  });
  const conn = await client.dial(engine.addrs[0]!);
  conn.wake();
  assert.equal(await woken.promise, 0);
  await new Promise((resolve) => setTimeout(resolve, 5)); // outside every callback
  await conn.asyncWrite('from a task');
  assert.equal(await echoed.promise, 'from a task');
  await client.stop();
  await engine.stop();
});

test('a dialled conn the peer closes gets onClose with ConnClosedError', async () => {
  const engine = await start({ onOpen: () => 1 /* Action.Close */ }, 'tcp://127.0.0.1:0');
  const closed = deferred<Error | null>();
  const client = await createClient({ onClose: (_conn, err) => closed.resolve(err) });
  await client.dial(engine.addrs[0]!);
  const err = await closed.promise;
  assert.ok(err instanceof ConnClosedError, String(err));
  await client.stop();
  await engine.stop();
});

test('dial rejects with the socket error (ECONNREFUSED) and with address errors', async () => {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  const client = await createClient({});
  await assert.rejects(client.dial(`tcp://127.0.0.1:${port}`), { code: 'ECONNREFUSED' });
  await assert.rejects(client.dial(`unix://${socketPath()}`), { code: 'ENOENT' });
  await assert.rejects(client.dial('http://127.0.0.1:80'), { code: 'ERR_UNSUPPORTED_PROTOCOL' });
  await assert.rejects(client.dial('127.0.0.1:80'), { code: 'ERR_INVALID_NETWORK_ADDRESS' });
  await assert.rejects(client.dial('tcp://127.0.0.1:1', { signal: 'x' } as never), {
    code: 'ERR_INVALID_OPTION',
  });
  assert.equal(client.countConnections(), 0);
  await client.stop();
});

test('a dialled conn stops reading above readBufferCap until the handler consumes', async () => {
  const total = 4 * 1024 * 1024;
  const engine = await start(
    { onOpen: (conn) => conn.write(Buffer.alloc(total, 1)) },
    'tcp://127.0.0.1:0',
  );
  let consume = false;
  let received = 0;
  const client = await createClient(
    {
      onTraffic(conn) {
        if (consume) received += conn.next().length;
      },
    },
    { readBufferCap: 64 * 1024 },
  );
  const conn = await client.dial(engine.addrs[0]!);
  await until(() => conn.inboundBuffered > 64 * 1024, 'over the cap');
  await new Promise((resolve) => setTimeout(resolve, 200));
  // One read past the cap at most (a read is up to 64 KiB); the rest waits in the kernel.
  assert.ok(conn.inboundBuffered <= 192 * 1024, `buffered ${conn.inboundBuffered}`);
  consume = true;
  received += conn.next().length;
  await until(() => received === total, 'all read');
  await client.stop();
  await engine.stop();
});
