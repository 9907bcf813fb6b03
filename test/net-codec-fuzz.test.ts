import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { Inbound } from '../src/net/inbound.js';
import {
  type Codec,
  ConnClosedError,
  DelimiterBasedFrameCodec,
  FixedLengthFrameCodec,
  type FrameSource,
  LengthFieldBasedFrameCodec,
  type LengthFieldLength,
  LineBasedFrameCodec,
  NetError,
  start,
} from '../src/net/index.js';
import { dial } from './net-helpers.js';

// Every built-in codec, fuzzed: random settings, random frames or random bytes, split at random
// points as reads split them.

/** A connection's inbound side, as codecs see it. */
class Source implements FrameSource {
  readonly inbound = new Inbound();
  get inboundBuffered(): number {
    return this.inbound.length;
  }
  peek(n?: number): Buffer {
    return this.inbound.peek(n);
  }
  next(n?: number): Buffer {
    return this.inbound.next(n);
  }
  discard(n?: number): number {
    return this.inbound.discard(n);
  }
}

/**
 * A codec with random settings; `bound` is the most undecoded bytes it may keep after a decode
 * (about maxFrameLength: a partial frame, plus a delimiter or header still incomplete);
 * `frame` makes frames it can carry from random bytes, `frameLimit` how long they may be.
 */
interface Fuzzed {
  readonly name: string;
  readonly codec: Codec;
  readonly max: number;
  readonly bound: number;
  /** Frames that round-trip: bytes the codec can carry, of a length it accepts. */
  readonly frames: fc.Arbitrary<Buffer[]>;
  /** What decoding gives for a frame sent as `wire` (the frame, or with its header kept). */
  readonly decoded?: (frame: Buffer, wire: Buffer) => Buffer;
}

const bytes = (min: number, max: number, maxLength: number, minLength = 0) =>
  fc
    .array(fc.integer({ min, max }), { minLength, maxLength })
    .map((array) => Buffer.from(array)) as fc.Arbitrary<Buffer>;

const lineCodec = fc.integer({ min: 1, max: 300 }).map(
  (max): Fuzzed => ({
    name: `LineBasedFrameCodec(max ${max})`,
    codec: new LineBasedFrameCodec({ maxFrameLength: max }),
    max,
    bound: max + 1, // a \r waiting for its \n
    frames: fc.array(bytes(0x0e, 0xff, max)), // no \n, no \r: a \r before the \n is dropped
  }),
);

const delimiterCodec = fc
  .record({ max: fc.integer({ min: 1, max: 300 }), delimiter: bytes(0, 0x0d, 4, 1) })
  .map(
    ({ max, delimiter }): Fuzzed => ({
      name: `DelimiterBasedFrameCodec(${delimiter.toString('hex')}, max ${max})`,
      codec: new DelimiterBasedFrameCodec(delimiter, { maxFrameLength: max }),
      max,
      bound: max + delimiter.length - 1,
      frames: fc.array(bytes(0x0e, 0xff, max)), // the delimiter's bytes never occur in a frame
    }),
  );

const fixedCodec = fc
  .record({ max: fc.integer({ min: 1, max: 300 }), length: fc.integer({ min: 1, max: 300 }) })
  .filter(({ max, length }) => length <= max)
  .map(
    ({ max, length }): Fuzzed => ({
      name: `FixedLengthFrameCodec(${length}, max ${max})`,
      codec: new FixedLengthFrameCodec(length, { maxFrameLength: max }),
      max,
      bound: length - 1,
      frames: fc.array(bytes(0, 0xff, length, length)),
    }),
  );

const lengthFieldCodec = fc
  .record({
    max: fc.integer({ min: 1, max: 300 }),
    lengthFieldLength: fc.constantFrom<LengthFieldLength>(1, 2, 3, 4, 8),
    byteOrder: fc.constantFrom('BE' as const, 'LE' as const),
    includes: fc.boolean(),
    strip: fc.boolean(),
  })
  .map(({ max, lengthFieldLength, byteOrder, includes, strip }): Fuzzed => {
    const codec = new LengthFieldBasedFrameCodec(
      { byteOrder, lengthFieldLength, lengthIncludesLengthFieldLength: includes },
      {
        byteOrder,
        lengthFieldLength,
        lengthAdjustment: includes ? -lengthFieldLength : 0,
        initialBytesToStrip: strip ? lengthFieldLength : 0,
      },
      { maxFrameLength: max },
    );
    // The whole frame, header included, must fit maxFrameLength (netty measures it so).
    const room = max - lengthFieldLength;
    return {
      name: `LengthFieldBasedFrameCodec(${lengthFieldLength} ${byteOrder}, includes ${includes}, strip ${strip}, max ${max})`,
      codec,
      max,
      bound: Math.max(max, lengthFieldLength),
      frames: room < 0 ? fc.constant([]) : fc.array(bytes(0, 0xff, room)),
      decoded: (frame, wire) => (strip ? frame : wire),
    };
  });

const anyCodec = fc.oneof(lineCodec, delimiterCodec, fixedCodec, lengthFieldCodec);

/** `wire` cut at `cuts` (positions taken modulo its length), in order. */
function split(wire: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((cut) => cut % (wire.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const cut of [...at, wire.length]) {
    pieces.push(wire.subarray(from, cut));
    from = cut;
  }
  return pieces;
}

/**
 * Feeds the pieces as the engine does (decode after every read); returns the frames, and the
 * codec's error if it threw one. Checks the bounds after every read.
 */
function feed(fuzzed: Fuzzed, pieces: Buffer[]): { frames: Buffer[]; error?: unknown } {
  const source = new Source();
  const frames: Buffer[] = [];
  const { codec, max, bound } = fuzzed;
  try {
    for (const piece of pieces) {
      source.inbound.push(piece);
      for (let frame = codec.decode(source); frame !== undefined; frame = codec.decode(source)) {
        assert.ok(frame.length <= max, `a frame of ${frame.length} bytes past ${max}`);
        frames.push(Buffer.from(frame));
      }
      assert.ok(source.inboundBuffered <= bound, `${source.inboundBuffered} undecoded bytes kept`);
    }
  } catch (error) {
    if (error instanceof assert.AssertionError) throw error;
    return { frames, error };
  }
  return { frames };
}

const cuts = fc.array(fc.nat(), { maxLength: 20 });

test('every built-in codec decodes what it encodes, however the bytes are split', () => {
  fc.assert(
    fc.property(
      anyCodec.chain((fuzzed) => fc.tuple(fc.constant(fuzzed), fuzzed.frames, cuts)),
      ([fuzzed, frames, at]) => {
        const source = new Source();
        const encoded = frames.map((frame) => Buffer.from(fuzzed.codec.encode(source, frame)));
        const expected = frames.map((frame, i) => fuzzed.decoded?.(frame, encoded[i]!) ?? frame);
        const { frames: decoded, error } = feed(fuzzed, split(Buffer.concat(encoded), at));
        assert.equal(error, undefined, `${fuzzed.name}: ${error}`);
        assert.deepEqual(decoded, expected, fuzzed.name);
      },
    ),
    { numRuns: 500 },
  );
});

test('every built-in codec fed random bytes fails only with a NetError, within its bounds', () => {
  fc.assert(
    fc.property(anyCodec, bytes(0, 0xff, 2000), cuts, (fuzzed, wire, at) => {
      const { error } = feed(fuzzed, split(wire, at));
      if (error !== undefined) {
        assert.ok(error instanceof NetError, `${fuzzed.name} threw ${error}`);
        assert.match(error.code, /^ERR_(FRAME_TOO_LONG|CORRUPTED_FRAME)$/);
      }
    }),
    { numRuns: 500 },
  );
});

test('random bytes split at random points never throw out of the engine', {
  timeout: 120_000,
}, async () => {
  await fc.assert(
    fc.asyncProperty(anyCodec, bytes(0, 0xff, 3000), cuts, async (fuzzed, wire, at) => {
      const failures: string[] = [];
      const closed: (Error | null)[] = [];
      const engine = await start(
        {
          onTraffic: (conn) => {
            for (let frame = conn.readFrame(); frame !== undefined; frame = conn.readFrame()) {
              if (frame.length > fuzzed.max) failures.push(`frame of ${frame.length}`);
            }
            if (conn.inboundBuffered > fuzzed.bound) failures.push(`${conn.inboundBuffered} kept`);
          },
          onClose: (_conn, err) => {
            closed.push(err);
          },
        },
        'tcp://127.0.0.1:0',
        {
          codec: fuzzed.codec,
          logger: { error: (...args: unknown[]) => failures.push(args.join(' ')) },
        },
      );
      try {
        const socket = await dial(engine.addrs[0]!);
        socket.on('error', () => {}); // the engine may close first: writes then fail, as they may
        socket.setNoDelay(true);
        for (const piece of split(wire, at)) {
          if (socket.destroyed) break;
          socket.write(piece);
          await sleep(1); // a read of its own, most of the time
        }
        socket.end();
        if (!socket.destroyed) await new Promise((resolve) => socket.once('close', resolve));
        for (let i = 0; i < 500 && closed.length === 0; i++) await sleep(10);
        assert.deepEqual(failures, [], fuzzed.name);
        assert.equal(closed.length, 1, `${fuzzed.name}: onClose ran once`);
        const err = closed[0];
        if (err !== null && !(err instanceof ConnClosedError)) {
          assert.ok(err instanceof NetError, `${fuzzed.name} closed with ${err}`);
          assert.match(err.code, /^ERR_(FRAME_TOO_LONG|CORRUPTED_FRAME)$/);
        }
      } finally {
        await engine.stop();
      }
      assert.equal(engine.countConnections(), 0);
    }),
    { numRuns: Number(process.env.FUZZ_RUNS ?? 40) },
  );
});
