import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { BroadcastChannel } from 'node:worker_threads';
import { start } from '../src/net/index.js';
import {
  datagram,
  LOOP_0,
  LOOP_MODELS,
  loopOf,
  socketPath,
  THREADS_SKIP,
  until,
} from './net-helpers.js';

const handler = new URL('./fixtures/net-handler.mjs', import.meta.url);
const hooks = new URL('./fixtures/net-hooks.mjs', import.meta.url);
const TCP = 'tcp://127.0.0.1:0';
const pidOf = (loop: string | undefined) => loop?.split('/')[0];

test("loops: 'auto' takes threads where Node has them, processes when an lb is passed", async () => {
  const auto = await start(handler, TCP, { numEventLoop: 2 });
  const served = await Promise.all(Array.from({ length: 20 }, () => loopOf(auto.addrs[0]!)));
  const other = served.find((loop) => loop !== LOOP_0)!;
  const threads = THREADS_SKIP === false;
  assert.equal(pidOf(other) === String(process.pid), threads, `loop 1 is ${other}`);
  await auto.stop();
  const balanced = await start(handler, TCP, { numEventLoop: 2, lb: 'round-robin' });
  const second = [await loopOf(balanced.addrs[0]!), await loopOf(balanced.addrs[0]!)];
  assert.notEqual(pidOf(second.find((loop) => loop !== LOOP_0)), String(process.pid));
  await balanced.stop();
});

test("loops: an unknown model, or 'threads' where they cannot run, rejects ERR_INVALID_OPTION", async () => {
  const code = { code: 'ERR_INVALID_OPTION' };
  const loops = 'fibers' as 'threads';
  await assert.rejects(start(handler, TCP, { numEventLoop: 2, loops }), code);
  const threads = { numEventLoop: 2, loops: 'threads' } as const;
  // The kernel spreads connections over thread loops: no balancer applies.
  await assert.rejects(start(handler, TCP, { ...threads, lb: 'least-connections' }), code);
  // A Unix socket cannot be bound twice, so it cannot be shared.
  await assert.rejects(start(handler, `unix://${socketPath()}`, threads), code);
  if (THREADS_SKIP !== false) {
    // Where Node has no reusePort, even one loop: the setting fails on its first run.
    await assert.rejects(start(handler, TCP, threads), code);
    await assert.rejects(start(handler, TCP, { ...threads, numEventLoop: 1 }), code);
  }
});

for (const { loops, skip } of LOOP_MODELS) {
  const spread = loops === 'threads' ? 'spread over the loops' : 'served by loop 0';
  test(`${loops}: UDP datagrams are ${spread}, each answered to its sender`, { skip }, async () => {
    const engine = await start(handler, 'udp://127.0.0.1:0', { numEventLoop: 2, loops });
    const addr = engine.addrs[0]!;
    const who = Buffer.from('who?');
    const replies = await Promise.all(Array.from({ length: 20 }, () => datagram(addr, who)));
    const seen = new Set(replies.map(String));
    assert.ok(seen.has(LOOP_0));
    assert.equal(seen.size, loops === 'threads' ? 2 : 1, [...seen].join(', '));
    const payload = Buffer.alloc(1024, 7);
    assert.ok((await datagram(addr, payload)).equals(payload));
    await engine.stop();
  });
}

for (const { loops, skip } of LOOP_MODELS) {
  test(`${loops}: a handler module that fails in another loop makes start reject`, {
    skip,
  }, async () => {
    const broken = new URL('./fixtures/net-broken-loop.mjs', import.meta.url);
    const failed = start(broken, TCP, { numEventLoop: 2, loops });
    await assert.rejects(failed, (err: Error & { code?: string }) => {
      assert.equal(err.code, 'ERR_HANDLER_LOAD');
      assert.match(err.message, /refuses to load outside loop 0/);
      return true;
    });
  });
}

test('threads: onBoot, onTick and onShutdown run in loop 0 only', {
  skip: THREADS_SKIP,
}, async () => {
  const heard: { hook: string; threadId: number }[] = [];
  const channel = new BroadcastChannel('antpool-net-hooks');
  channel.onmessage = (event) => heard.push((event as MessageEvent).data);
  const engine = await start(hooks, TCP, { numEventLoop: 3, loops: 'threads', ticker: true });
  await until(() => heard.filter(({ hook }) => hook === 'onTick').length >= 3, 'ticking');
  await engine.stop();
  await until(() => heard.some(({ hook }) => hook === 'onShutdown'), 'shut down');
  channel.close();
  assert.deepEqual(new Set(heard.map(({ threadId }) => threadId)), new Set([0]));
  assert.equal(heard.filter(({ hook }) => hook === 'onBoot').length, 1);
  assert.equal(heard.filter(({ hook }) => hook === 'onShutdown').length, 1);
});

// The engine in a `node --input-type=module -e` process (a flag loops must not inherit as is):
// both loops serve, then stop() must leave nothing that keeps the process alive or holds a port.
const script = (loops: string) => `
  import { connect } from 'node:net';
  const { start } = await import(${JSON.stringify(new URL('../dist/net/index.js', import.meta.url).href)});
  const handler = new URL(${JSON.stringify(handler.href)});
  const engine = await start(handler, ['tcp://127.0.0.1:0', 'udp://127.0.0.1:0'], {
    numEventLoop: 2, loops: '${loops}',
  });
  const port = (addr) => Number(addr.slice(addr.lastIndexOf(':') + 1));
  const ask = () => new Promise((resolve, reject) => {
    const socket = connect(port(engine.addrs[0]), '127.0.0.1', () => socket.write('who?'));
    socket.once('data', (reply) => resolve(String(reply))).once('error', reject);
    socket.on('data', () => socket.destroy());
  });
  const loops = new Set();
  while (loops.size < 2) loops.add(await ask());
  await engine.stop();
  console.log(JSON.stringify({ ports: engine.addrs.map(port), loops: [...loops] }));
`;

for (const { loops, skip } of LOOP_MODELS) {
  test(`${loops}: stop() leaves no thread, process or port behind`, { skip }, async () => {
    const args = ['--input-type=module', '-e', script(loops)];
    const child = execFile(process.execPath, args, { timeout: 10_000 });
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
    });
    const [code] = await once(child, 'exit');
    assert.equal(code, 0, 'the process ended by itself once the engine stopped');
    const { ports, loops: served } = JSON.parse(out) as { ports: number[]; loops: string[] };
    assert.equal(served.length, 2);
    for (const loop of served) {
      const pid = Number(pidOf(loop));
      assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `loop ${loop} still runs`);
    }
    // Without reusePort, these binds fail while any loop still holds the port.
    const server = createServer().listen(ports[0], '127.0.0.1');
    await once(server, 'listening');
    server.close();
    const udp = createSocket('udp4');
    udp.bind(ports[1], '127.0.0.1');
    await once(udp, 'listening');
    udp.close();
  });
}
