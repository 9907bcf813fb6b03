import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { decode, encode, SharedMemory } from '../src/thread/codec.js';
import { behaviours } from './thread-helpers.js';

// Tasks travel through shared memory when the codec takes their values and through the port
// otherwise: either way the thread must get what structured clone would give it.

const memory = new SharedMemory(new SharedArrayBuffer(4096));
const ROOM = 1024;

/** The value as the thread gets it, and whether it took shared memory. */
function throughCodec(value: unknown): { copy: unknown; shared: boolean } {
  if (!encode(memory, 8, ROOM, value)) return { copy: structuredClone(value), shared: false };
  return { copy: decode(memory, 8), shared: true };
}

const typedArray = fc.oneof(
  fc.int8Array(),
  fc.uint8Array(),
  fc.uint8ClampedArray(),
  fc.int16Array(),
  fc.uint16Array(),
  fc.int32Array(),
  fc.uint32Array(),
  fc.float32Array(),
  fc.float64Array(),
  fc.bigInt64Array(),
  fc.bigUint64Array(),
);

const value = fc.oneof(
  fc.anything({
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withSparseArray: true,
    withTypedArray: true,
    withBigInt: true,
  }),
  fc.string({ unit: 'binary' }), // lone surrogates included
  fc.double(),
  typedArray,
  fc.json().map((text) => JSON.parse(text) as unknown),
);

test('a value through the codec equals its structured clone (property)', () => {
  fc.assert(
    fc.property(value, (original) => {
      const { copy } = throughCodec(original);
      assert.deepStrictEqual(copy, structuredClone(original));
    }),
    { numRuns: 2000 },
  );
});

test('the codec takes the common values and leaves the rest to the port', () => {
  const shared: unknown[] = [0, -0, Number.NaN, 1.5, 'text', '', true, null, undefined, [1, 'a']];
  shared.push({ a: 1, b: { c: [true] } }, new Float64Array([1, 2]), new Uint8Array(8));
  shared.push({ a: undefined, n: -0, m: Number.POSITIVE_INFINITY }, [null, undefined, Number.NaN]);
  shared.push(Object.create(null), JSON.parse('{"__proto__": {"own": 1}}'), 'x'.repeat(100));
  for (const item of shared) {
    const { copy, shared: wasShared } = throughCodec(item);
    assert.equal(wasShared, true, inspect(item));
    assert.deepStrictEqual(copy, structuredClone(item));
  }
  const byPort = [
    new Array(3), // holes
    { at: new Date(0) },
    new Date(0),
    new Map([[1, 2]]),
    { nested: new Uint8Array(2) },
    Buffer.from('buffer'), // a Uint8Array subclass: structured clone gives a Uint8Array
    new Uint8Array(new ArrayBuffer(16), 4, 4), // a view: structured clone copies the whole buffer
    new Int32Array(new SharedArrayBuffer(8)), // shared memory stays shared through the port
    'x'.repeat(ROOM), // too big for the room
    { text: 'x'.repeat(ROOM / 2) },
    10n,
    { big: 10n },
    Object.assign([1, 2], { extra: true }),
    Object.create({ inherited: 1 }),
    new Proxy({ a: 1 }, {}), // structured clone refuses a proxy
    { inner: new Proxy([1], {}) },
    {
      get failing(): number {
        throw new Error('a getter that throws');
      },
    },
  ];
  for (const item of byPort) assert.equal(encode(memory, 8, ROOM, item), false, inspect(item));
});

test('values of every kind, big and small, come back from a thread as they went', async () => {
  const pool = behaviours({ size: 2 });
  const samples = fc.sample(value, { numRuns: 300, seed: 42 });
  samples.push('x'.repeat(10_000), { big: 'y'.repeat(5_000) }, new Uint8Array(100_000));
  const results = await Promise.all(samples.map((item) => pool.run(item, { name: 'echo' })));
  for (const [at, result] of results.entries()) {
    assert.deepStrictEqual(result, structuredClone(samples[at]));
  }
  await pool.releaseTimeout(5000);
});
