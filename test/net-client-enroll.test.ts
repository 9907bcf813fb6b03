import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient, start } from '../src/net/index.js';
import { deferred, dial, socketPath } from './net-helpers.js';

const echo = { onTraffic: (conn: import('../src/net/index.js').Conn) => conn.write(conn.next()) };

for (const kind of ['tcp', 'unix'] as const) {
  test(`enroll adopts a connected ${kind} socket: onOpen with its context, then its traffic`, async () => {
    const addr = kind === 'tcp' ? 'tcp://127.0.0.1:0' : `unix://${socketPath()}`;
    const engine = await start(echo, addr);
    const socket = await dial(engine.addrs[0]!);
    const opened = deferred<unknown>();
    const echoed = deferred<string>();
    const client = await createClient({
      onOpen: (conn) => opened.resolve(conn.context),
      onTraffic: (conn) => echoed.resolve(conn.next().toString()),
    });
    const conn = client.enroll(socket, { context: 'mine' });
    assert.equal(await opened.promise, 'mine');
    assert.equal(conn.tls, false);
    if (kind === 'tcp') {
      assert.equal(conn.remoteAddr, engine.addrs[0]);
      assert.equal(conn.localAddr, `tcp://127.0.0.1:${socket.localPort}`);
    } else {
      assert.equal(conn.remoteAddr, '');
    }
    conn.write('adopted');
    assert.equal(await echoed.promise, 'adopted');
    assert.equal(client.countConnections(), 1);
    await client.stop();
    assert.ok(socket.destroyed, 'stop() closed the adopted socket');
    await engine.stop();
  });
}

test('enroll takes only a connected socket, and none once stopped', async () => {
  const engine = await start(echo, 'tcp://127.0.0.1:0');
  const client = await createClient({});
  const code = { code: 'ERR_INVALID_OPTION' };
  assert.throws(() => client.enroll({} as never), code);
  const gone = await dial(engine.addrs[0]!);
  gone.destroy();
  assert.throws(() => client.enroll(gone), code);
  const socket = await dial(engine.addrs[0]!);
  assert.throws(() => client.enroll(socket, 'x' as never), code);
  await client.stop();
  assert.throws(() => client.enroll(socket), { code: 'ERR_ENGINE_IN_SHUTDOWN' });
  socket.destroy();
  await engine.stop();
});
