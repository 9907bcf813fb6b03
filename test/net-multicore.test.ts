import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { LineBasedFrameCodec, start } from '../src/net/index.js';
import { dial, echoOnce, randomSize, readAll, socketPath } from './net-helpers.js';

const handler = new URL('./fixtures/net-handler.mjs', import.meta.url);
const asyncEcho = new URL('./fixtures/net-async-echo.mjs', import.meta.url);
const TCP = 'tcp://127.0.0.1:0';

// The pid of the process whose loop serves a new connection (one short reply: one chunk).
async function pidOf(addr: string): Promise<string> {
  const socket = await dial(addr);
  socket.write('pid?');
  const [reply] = (await once(socket, 'data')) as [Buffer];
  socket.destroy();
  return reply.toString();
}

for (const [network, addr] of [
  ['TCP', () => TCP],
  ['Unix', () => `unix://${socketPath()}`],
] as const) {
  for (const [writes, module] of [
    ['sync writes', handler],
    ['async writes from a Pool task', asyncEcho],
  ] as const) {
    test(`2 loops, ${network}, ${writes}: 10 clients echo payloads up to 1 MiB`, async () => {
      const engine = await start(module, addr(), { numEventLoop: 2 });
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          for (let round = 0; round < 3; round++)
            await echoOnce(engine.addrs[0]!, randomSize(1024 * 1024));
        }),
      );
      await engine.stop();
    });
  }
}

test('2 loops: every loop counts its connections; stop() stops them all', async () => {
  const engine = await start(handler, TCP, { numEventLoop: 2 });
  const addr = engine.addrs[0]!;
  const open = await Promise.all(Array.from({ length: 4 }, () => dial(addr)));
  const ends = open.map(readAll);
  while (engine.countConnections() < 4) await new Promise((resolve) => setTimeout(resolve, 5));
  await engine.stop();
  await Promise.all(ends);
  assert.equal(engine.countConnections(), 0);
});

test('round-robin spreads connections over both loops; source-addr-hash keeps one client on one', async () => {
  const spread = await start(handler, TCP, { numEventLoop: 2 });
  const pids = new Set<string>();
  for (let i = 0; i < 4; i++) pids.add(await pidOf(spread.addrs[0]!));
  assert.equal(pids.size, 2, 'two processes served');
  assert.ok(pids.has(String(process.pid)), 'loop 0 is this process');
  await spread.stop();
  const sticky = await start(handler, TCP, { numEventLoop: 2, lb: 'source-addr-hash' });
  const same = new Set<string>();
  for (let i = 0; i < 4; i++) same.add(await pidOf(sticky.addrs[0]!));
  assert.equal(same.size, 1);
  await sticky.stop();
});

test('Shutdown returned in a loop process stops the whole engine', async () => {
  const engine = await start(handler, TCP, { numEventLoop: 2, lb: 'least-connections' });
  const first = await dial(engine.addrs[0]!); // loop 0 has one: the next goes to loop 1
  while (engine.countConnections() < 1) await new Promise((resolve) => setTimeout(resolve, 5));
  const second = await dial(engine.addrs[0]!);
  second.write('shutdown!');
  await engine.done;
  first.destroy();
  second.destroy();
});

test('several loops take a built-in codec, not a user one', async () => {
  const engine = await start(handler, TCP, { numEventLoop: 2, codec: new LineBasedFrameCodec() });
  await engine.stop();
  const custom = { encode: (_c: unknown, d: Uint8Array) => d, decode: () => undefined };
  await assert.rejects(start(handler, TCP, { numEventLoop: 2, codec: custom }), {
    code: 'ERR_INVALID_OPTION',
  });
});
