import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Conn, start } from '../src/net/index.js';
import { dial, readExactly, until } from './net-helpers.js';

const KiB = 1024;
const CAP = 1024 * KiB;
const ANSWER = 512 * KiB;

test('a peer that never reads: the engine stops reading it at writeBufferCap, and serves others', {
  timeout: 60_000,
}, async () => {
  let slow: Conn | undefined;
  let slowTurns = 0;
  let slowBytes = 0;
  let maxOutbound = 0;
  let maxInbound = 0;
  const engine = await start(
    {
      onOpen: (conn) => {
        slow ??= conn;
      },
      // Every read is answered with 512 KiB, fresh each time: queued, they would pile up in memory.
      onTraffic: (conn) => {
        if (conn === slow) {
          slowTurns++;
          slowBytes += conn.inboundBuffered;
        }
        maxInbound = Math.max(maxInbound, conn.inboundBuffered);
        conn.discard();
        conn.write(Buffer.alloc(ANSWER, 0x61));
        if (conn === slow) maxOutbound = Math.max(maxOutbound, conn.outboundBuffered);
      },
    },
    'tcp://127.0.0.1:0',
    { writeBufferCap: CAP },
  );
  const addr = engine.addrs[0]!;
  const reader = await dial(addr);
  reader.pause(); // never reads: the kernel's buffers fill, then the engine's queue
  reader.setNoDelay(true);
  await until(() => slow !== undefined, 'accepted');

  // 400 requests, each its own read: answered in full they would be 200 MiB.
  const requests = 400;
  for (let i = 0; i < requests; i++) {
    reader.write('x');
    await sleep(1);
  }
  // Whatever the kernel buffers (a few MiB on loopback) and the cap allow, and no more.
  const turnsWhenDone = slowTurns;
  assert.ok(turnsWhenDone < requests / 2, `${turnsWhenDone} of ${requests} requests were read`);
  assert.ok(maxOutbound <= CAP + ANSWER, `${maxOutbound} bytes queued for the slow reader`);
  assert.ok(slow!.outboundBuffered > CAP, 'its queue is full, so it is not read');

  // Others are served meanwhile, in full.
  for (let i = 0; i < 3; i++) {
    const other = await dial(addr);
    const answer = readExactly(other, ANSWER);
    other.write('y');
    assert.equal((await answer).length, ANSWER);
    other.destroy();
  }
  await sleep(200);
  assert.equal(slowTurns, turnsWhenDone, 'the slow reader stayed unread');
  assert.ok(maxInbound <= 64 * KiB, `${maxInbound} inbound bytes buffered`);

  // Once it reads, the engine drains its queue and reads it again: every request is read, and
  // every answer (one per read) arrives.
  let received = 0;
  reader.on('data', (chunk: Buffer) => {
    received += chunk.length;
  });
  reader.resume();
  await until(() => slowBytes === requests, 'every request read', 30_000);
  await until(() => received === slowTurns * ANSWER, 'every answer received', 30_000);
  assert.ok(slowTurns > turnsWhenDone);
  reader.destroy();
  await engine.stop();
});
