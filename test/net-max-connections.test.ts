import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { test } from 'node:test';
import { start } from '../src/net/index.js';
import { dial, LOOP_MODELS, until } from './net-helpers.js';

const TCP = 'tcp://127.0.0.1:0';

/** Dials and says whether the engine served the connection (echoed) or closed it unserved. */
async function served(addr: string): Promise<{ socket: Socket; served: boolean }> {
  const socket = await dial(addr);
  socket.on('error', () => {}); // a refusal may come as a reset
  const answer = new Promise<boolean>((resolve) => {
    socket.once('data', () => resolve(true));
    socket.once('close', () => resolve(false));
  });
  socket.write('ping');
  return { socket, served: await answer };
}

test('maxConnections: past the limit a connection is closed without onOpen, and counted', async () => {
  let opened = 0;
  const lines: string[] = [];
  const engine = await start(
    {
      onOpen: () => void opened++,
      onTraffic: (conn) => conn.write(conn.next()),
    },
    TCP,
    { maxConnections: 3, logger: { error: (line) => void lines.push(line) } },
  );
  const addr = engine.addrs[0]!;
  const held = await Promise.all([served(addr), served(addr), served(addr)]);
  assert.deepEqual(
    held.map((conn) => conn.served),
    [true, true, true],
  );
  for (let i = 0; i < 5; i++) assert.equal((await served(addr)).served, false);
  assert.equal(opened, 3);
  assert.equal(engine.refusedConnections, 5);
  assert.equal(engine.countConnections(), 3);
  assert.equal(lines.length, 1, 'logged at most once a second');
  assert.match(lines[0]!, /maxConnections/);
  // Room again once one closes.
  held[0]!.socket.destroy();
  await until(() => engine.countConnections() === 2, 'closed');
  assert.equal((await served(addr)).served, true);
  for (const { socket } of held) socket.destroy();
  await engine.stop();
});

for (const { loops, skip } of LOOP_MODELS) {
  // Threads: each loop admits ceil(2 / 2) = 1 and the kernel picks the loop, so 1 or 2 are
  // served; processes: loop 0 admits 2 in all.
  test(`maxConnections with ${loops}: the limit holds over the loops and refusals add up`, {
    skip,
    timeout: 30_000,
  }, async () => {
    const handler = new URL('./fixtures/net-handler.mjs', import.meta.url);
    const engine = await start(handler, TCP, {
      numEventLoop: 2,
      loops,
      maxConnections: 2,
      logger: { error: () => {} },
    });
    const conns: { socket: Socket; served: boolean }[] = [];
    for (let i = 0; i < 8; i++) conns.push(await served(engine.addrs[0]!));
    const admitted = conns.filter((conn) => conn.served).length;
    if (loops === 'processes') assert.equal(admitted, 2);
    else assert.ok(admitted >= 1 && admitted <= 2, `${admitted} admitted`);
    await until(() => engine.refusedConnections === 8 - admitted, `${8 - admitted} refused`);
    await until(() => engine.countConnections() === admitted, `${admitted} counted`);
    for (const { socket } of conns) socket.destroy();
    await engine.stop();
  });
}

test('maxConnections must be a positive integer or Infinity', async () => {
  for (const maxConnections of [0, -1, 1.5, Number.NaN, '3']) {
    await assert.rejects(
      start({}, TCP, { maxConnections: maxConnections as number }),
      { code: 'ERR_INVALID_OPTION' },
      String(maxConnections),
    );
  }
  const unlimited = await start({}, TCP, { maxConnections: Number.POSITIVE_INFINITY });
  await unlimited.stop();
});
