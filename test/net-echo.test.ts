import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Pool } from '../src/index.js';
import { type Conn, ConnClosedError, type EventHandler, start } from '../src/net/index.js';
import { datagram, echoOnce, randomSize, socketPath } from './net-helpers.js';

const MiB = 1024 * 1024;
const CLIENTS = 10;
const ROUNDS = 5;

const syncEcho: EventHandler = {
  onTraffic(conn) {
    conn.write(conn.next());
  },
};

/** Echoes from a pool task, as a handler with blocking work would. */
function asyncEcho(pool: Pool): EventHandler {
  return {
    onTraffic(conn: Conn) {
      const data = conn.next();
      void pool.submit(() => conn.asyncWrite(data).catch(() => {}));
    },
  };
}

async function echoClients(addr: string): Promise<void> {
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let round = 0; round < ROUNDS; round++) await echoOnce(addr, randomSize(MiB));
    }),
  );
}

for (const [network, addr] of [
  ['TCP', 'tcp://127.0.0.1:0'],
  ['Unix', () => `unix://${socketPath()}`],
] as const) {
  test(`${network} echo: ${CLIENTS} clients, random payloads up to 1 MiB, sync writes`, async () => {
    const engine = await start(syncEcho, typeof addr === 'string' ? addr : addr());
    await echoClients(engine.addrs[0]!);
    await engine.stop();
    assert.equal(engine.countConnections(), 0);
  });

  test(`${network} echo: async writes from a Pool task`, async () => {
    const pool = new Pool(4);
    const engine = await start(asyncEcho(pool), typeof addr === 'string' ? addr : addr());
    await echoClients(engine.addrs[0]!);
    await engine.stop();
    await pool.releaseTimeout(5000);
  });
}

test('UDP echo: each 1 KiB datagram is one onTraffic, answered to its sender', async () => {
  let traffic = 0;
  let opened = 0;
  let last: Conn | undefined;
  const engine = await start(
    {
      onOpen: () => void opened++,
      onTraffic(conn) {
        traffic++;
        last = conn;
        conn.write(conn.next());
      },
    },
    'udp://127.0.0.1:0',
  );
  const payloads = Array.from({ length: CLIENTS }, () => randomBytes(1024));
  const replies = await Promise.all(payloads.map((payload) => datagram(engine.addrs[0]!, payload)));
  for (const [at, reply] of replies.entries()) assert.ok(reply.equals(payloads[at]!));
  assert.equal(traffic, CLIENTS);
  assert.equal(opened, 0, 'no onOpen for datagrams');
  await engine.stop();
  await assert.rejects(last!.asyncWrite('late'), ConnClosedError);
});

test('one engine listens on several addresses at once', async () => {
  const engine = await start(syncEcho, ['tcp://127.0.0.1:0', `unix://${socketPath()}`]);
  assert.equal(engine.addrs.length, 2);
  assert.match(engine.addrs[0]!, /^tcp:\/\/127\.0\.0\.1:\d+$/);
  assert.match(engine.addrs[1]!, /^unix:\/\//);
  for (const addr of engine.addrs) await echoOnce(addr, 1000);
  await engine.stop();
});

test('TCP over IPv6 (tcp6://[::1]:0), where the machine has it', async (t) => {
  const engine = await start(syncEcho, 'tcp6://[::1]:0').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRNOTAVAIL' || err.code === 'EAFNOSUPPORT') return undefined;
    throw err;
  });
  if (engine === undefined) return t.skip('no IPv6 loopback here');
  assert.match(engine.addrs[0]!, /^tcp:\/\/\[::1\]:\d+$/);
  await echoOnce(engine.addrs[0]!, 64 * 1024);
  await engine.stop();
});

test('tcp6:// listens on IPv6 only', async (t) => {
  const engine = await start(syncEcho, 'tcp6://:0').catch(() => undefined);
  if (engine === undefined) return t.skip('no IPv6 here');
  const port = /:(\d+)$/.exec(engine.addrs[0]!)![1];
  await assert.rejects(echoOnce(`tcp://127.0.0.1:${port}`, 10), { code: 'ECONNREFUSED' });
  await engine.stop();
});
