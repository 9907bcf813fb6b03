import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ThreadPool } from '../src/thread/index.js';
import { fixture } from './thread-helpers.js';

interface Ran {
  i: number;
  threadId: number;
  most: number;
}

test('concurrentTasksPerThread: sync and async tasks mixed never run two synchronous parts at once on a thread', async () => {
  const words = new Int32Array(new SharedArrayBuffer(1024 * 4));
  const pool = new ThreadPool<{ i: number; ms: number; sync: boolean }, Ran>({
    filename: fixture('concurrent.mjs'),
    size: 2,
    concurrentTasksPerThread: 8,
    workerData: words.buffer,
  });
  const count = 120;
  const ran = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      pool.run({ i, ms: i % 3 === 0 ? 2 : 4, sync: i % 3 === 0 }, { name: 'mixed' }),
    ),
  );
  assert.deepEqual(
    ran.map((r) => r.i),
    Array.from({ length: count }, (_, i) => i),
  );
  assert.ok(Math.max(...ran.map((r) => r.most)) > 1, 'async tasks shared their thread');
  // Synchronous parts on one thread, as [begin, end) ticks of one clock, never overlap.
  const byThread = new Map<number, [number, number][]>();
  for (const { i, threadId } of ran) {
    const span: [number, number] = [words[512 + 2 * i]!, words[513 + 2 * i]!];
    assert.ok(span[0] > 0 && span[1] > span[0], `task ${i} recorded its synchronous part`);
    byThread.set(threadId, [...(byThread.get(threadId) ?? []), span]);
  }
  for (const spans of byThread.values()) {
    spans.sort((a, b) => a[0] - b[0]);
    for (let k = 1; k < spans.length; k++) assert.ok(spans[k]![0] > spans[k - 1]![1]);
  }
  for (let i = 0; i < count; i++) assert.equal(words[256 + i], 1, `task ${i} began once`);
  await pool.releaseTimeout(5000);
});
