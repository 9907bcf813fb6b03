import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, test } from 'node:test';
import { LineBasedFrameCodec, start } from '../src/net/index.js';
import {
  dial,
  echoOnce,
  LOOP_0,
  LOOP_MODELS,
  loopOf,
  randomSize,
  readAll,
  readExactly,
  servedBy,
  socketPath,
  until,
} from './net-helpers.js';

const handler = new URL('./fixtures/net-handler.mjs', import.meta.url);
const asyncEcho = new URL('./fixtures/net-async-echo.mjs', import.meta.url);
const lineHandler = new URL('./fixtures/net-line-handler.mjs', import.meta.url);
const TCP = 'tcp://127.0.0.1:0';
const MiB = 1024 * 1024;

/** 10 clients, 3 payloads each of a random size up to 1 MiB, on every address of the engine. */
async function echoClients(addrs: string[]): Promise<void> {
  await Promise.all(
    Array.from({ length: 10 }, async (_, client) => {
      const addr = addrs[client % addrs.length]!;
      for (let round = 0; round < 3; round++) await echoOnce(addr, randomSize(MiB));
    }),
  );
}

for (const { loops, skip } of LOOP_MODELS) {
  describe(`2 loops as ${loops}`, { skip }, () => {
    // Unix sockets have no port to share: thread loops listen on TCP and UDP only.
    const addrs = () => (loops === 'processes' ? [TCP, `unix://${socketPath()}`] : [TCP]);

    test('sync writes: 10 clients echo random payloads up to 1 MiB', async () => {
      const engine = await start(handler, addrs(), { numEventLoop: 2, loops });
      await echoClients(engine.addrs);
      await engine.stop();
    });

    test('async writes from a Pool task in each loop', async () => {
      const engine = await start(asyncEcho, addrs(), { numEventLoop: 2, loops });
      await echoClients(engine.addrs);
      await engine.stop();
    });

    test('connections spread over both loops; countConnections sums them; stop() stops all', async () => {
      const engine = await start(handler, TCP, { numEventLoop: 2, loops });
      const addr = engine.addrs[0]!;
      // 20 at once: round-robin alternates; the kernel's hash leaves all on one loop 1 in 2^19.
      const served = await Promise.all(Array.from({ length: 20 }, () => loopOf(addr)));
      const seen = new Set(served);
      assert.equal(seen.size, 2, `two loops served: ${[...seen].join(', ')}`);
      assert.ok(seen.has(LOOP_0), 'loop 0 is this thread');
      // A loop reports a close late under load: counting 6 must not count a probe still closing,
      // or stop() could close the listener with the 6th connection not yet accepted (a reset).
      await until(() => engine.countConnections() === 0, 'counting the 20 probes closed');
      const open = await Promise.all(Array.from({ length: 6 }, () => dial(addr)));
      const ends = open.map(readAll);
      await until(() => engine.countConnections() === 6, 'counting 6 connections');
      await engine.stop();
      await Promise.all(ends);
      assert.equal(engine.countConnections(), 0);
    });

    test('Shutdown returned in the other loop stops the whole engine', async () => {
      const engine = await start(handler, TCP, { numEventLoop: 2, loops });
      const other = await servedBy(engine.addrs[0]!, (loop) => loop !== LOOP_0);
      const closed = once(other.socket, 'close');
      other.socket.write('shutdown!');
      await engine.done;
      await closed;
      assert.equal(engine.countConnections(), 0);
    });

    test('a built-in codec is rebuilt in each loop; a user codec is refused', async () => {
      const codec = new LineBasedFrameCodec();
      const engine = await start(lineHandler, TCP, { numEventLoop: 2, loops, codec });
      const other = await dialLines(engine.addrs[0]!, (loop) => loop !== LOOP_0);
      other.write('hello\nwor');
      other.write('ld\n');
      assert.equal((await readExactly(other, 12)).toString(), 'hello\nworld\n');
      other.destroy();
      await engine.stop();
      const custom = { encode: (_c: unknown, d: Uint8Array) => d, decode: () => undefined };
      await assert.rejects(start(handler, TCP, { numEventLoop: 2, loops, codec: custom }), {
        code: 'ERR_INVALID_OPTION',
      });
    });
  });
}

test('processes: source-addr-hash keeps one client on one loop', async () => {
  const engine = await start(handler, TCP, { numEventLoop: 2, lb: 'source-addr-hash' });
  const seen = new Set<string | undefined>();
  for (let i = 0; i < 4; i++) seen.add(await loopOf(engine.addrs[0]!));
  assert.equal(seen.size, 1);
  await engine.stop();
});

/** A connection to a line-codec engine served by a loop `wanted` accepts. */
async function dialLines(addr: string, wanted: (loop: string) => boolean) {
  for (;;) {
    const socket = await dial(addr);
    socket.write('who?\n');
    const [reply] = (await once(socket, 'data')) as [Buffer];
    if (wanted(reply.toString().trim())) return socket;
    socket.destroy();
  }
}
