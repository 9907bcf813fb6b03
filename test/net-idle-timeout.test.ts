import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { ConnIdleError, createClient, start } from '../src/net/index.js';
import { deferred, dial, LOOP_0, LOOP_MODELS, readAll, servedBy } from './net-helpers.js';

const TCP = 'tcp://127.0.0.1:0';

test('idleTimeout closes a slow-loris peer (one byte a second) with ConnIdleError', {
  timeout: 20_000,
}, async () => {
  let received = 0;
  const closed = deferred<Error | null>();
  const engine = await start(
    {
      onOpen: (conn) => conn.write('welcome'),
      onTraffic(conn) {
        received += conn.discard();
      },
      onClose: (_conn, err) => closed.resolve(err),
    },
    TCP,
    { idleTimeout: 400 },
  );
  const loris = await dial(engine.addrs[0]!);
  const everything = readAll(loris);
  loris.write('G');
  const drip = setInterval(() => loris.write('E'), 1000);
  const err = await closed.promise;
  clearInterval(drip);
  assert.ok(err instanceof ConnIdleError, String(err));
  assert.equal((err as ConnIdleError).code, 'ERR_CONN_IDLE');
  assert.ok(received >= 1, 'its bytes were read until then');
  assert.equal((await everything).toString(), 'welcome', 'what was queued was flushed first');
  assert.equal(engine.countConnections(), 0);
  await engine.stop();
});

test('idleTimeout spares a peer whose bytes come closer together than it', {
  timeout: 20_000,
}, async () => {
  let closedBy: Error | null | undefined;
  const engine = await start(
    {
      onTraffic: (conn) => conn.write(conn.next()),
      onClose(_conn, err) {
        closedBy = err;
      },
    },
    TCP,
    { idleTimeout: 1000 },
  );
  const socket = await dial(engine.addrs[0]!);
  // 2.5 idle timeouts of traffic, a byte every 25 ms, each echoed.
  for (let i = 0; i < 100; i++) {
    const echo = once(socket, 'data');
    socket.write('x');
    await echo;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.equal(closedBy, undefined);
  assert.equal(engine.countConnections(), 1);
  socket.destroy();
  await engine.stop();
});

test('idleTimeout closes an idle dialled client conn with ConnIdleError', async () => {
  const engine = await start({}, TCP);
  const closed = deferred<Error | null>();
  const client = await createClient(
    { onClose: (_conn, err) => closed.resolve(err) },
    { idleTimeout: 200 },
  );
  await client.dial(engine.addrs[0]!);
  assert.ok((await closed.promise) instanceof ConnIdleError);
  await client.stop();
  await engine.stop();
});

for (const { loops, skip } of LOOP_MODELS) {
  test(`idleTimeout with ${loops}: another loop closes an idle connection`, {
    skip,
    timeout: 30_000,
  }, async () => {
    const handler = new URL('./fixtures/net-handler.mjs', import.meta.url);
    const engine = await start(handler, TCP, { numEventLoop: 2, loops, idleTimeout: 300 });
    const { socket } = await servedBy(engine.addrs[0]!, (loop) => loop !== LOOP_0);
    await once(socket, 'close'); // without idleTimeout it would stay open: the test times out
    await engine.stop();
  });
}
