import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Inbound } from '../src/net/inbound.js';
import {
  type Codec,
  CorruptedFrameError,
  DelimiterBasedFrameCodec,
  FixedLengthFrameCodec,
  type FrameSource,
  FrameTooLongError,
  LengthFieldBasedFrameCodec,
  type LengthFieldLength,
  LineBasedFrameCodec,
  ShortBufferError,
} from '../src/net/index.js';

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

/** Feeds `bytes` in the given pieces, decoding after each as the engine does. */
function decodeAll(codec: Codec, pieces: Buffer[]): string[] {
  const source = new Source();
  const frames: string[] = [];
  for (const piece of pieces) {
    source.inbound.push(piece);
    for (let frame = codec.decode(source); frame !== undefined; frame = codec.decode(source)) {
      frames.push(frame.toString());
    }
  }
  assert.equal(source.inboundBuffered, 0, 'every byte was decoded');
  return frames;
}

const FRAMES = ['hello', '', 'a longer frame, with, commas', 'x'];

function roundTrips(name: string, codec: Codec, frames = FRAMES): void {
  const source = new Source();
  const wire = Buffer.concat(frames.map((frame) => codec.encode(source, Buffer.from(frame))));
  test(`${name}: frames survive a split at every byte, and coalesced in one read`, () => {
    assert.deepEqual(decodeAll(codec, [wire]), frames);
    for (let at = 0; at <= wire.length; at++) {
      assert.deepEqual(
        decodeAll(codec, [wire.subarray(0, at), wire.subarray(at)]),
        frames,
        `at ${at}`,
      );
    }
    const bytes = [...wire].map((byte) => Buffer.from([byte]));
    assert.deepEqual(decodeAll(codec, bytes), frames, 'one byte per read');
  });
}

roundTrips('LineBasedFrameCodec', new LineBasedFrameCodec());
roundTrips('DelimiterBasedFrameCodec', new DelimiterBasedFrameCodec('||'));
roundTrips('FixedLengthFrameCodec', new FixedLengthFrameCodec(4), ['abcd', 'efgh', '1234']);
for (const lengthFieldLength of [1, 2, 3, 4, 8] as LengthFieldLength[]) {
  for (const byteOrder of ['BE', 'LE'] as const) {
    roundTrips(
      `LengthFieldBasedFrameCodec (${lengthFieldLength} bytes, ${byteOrder})`,
      new LengthFieldBasedFrameCodec(
        { byteOrder, lengthFieldLength },
        { byteOrder, lengthFieldLength, initialBytesToStrip: lengthFieldLength },
      ),
    );
  }
}
roundTrips(
  'LengthFieldBasedFrameCodec (length counts the header, offset 0)',
  new LengthFieldBasedFrameCodec(
    { lengthFieldLength: 2, lengthIncludesLengthFieldLength: true },
    { lengthFieldLength: 2, lengthAdjustment: -2, initialBytesToStrip: 2 },
  ),
);

test('a line keeps a \\r that is not before its \\n; \\r\\n counts as the end', () => {
  assert.deepEqual(decodeAll(new LineBasedFrameCodec(), [Buffer.from('a\rb\r\nc\n')]), [
    'a\rb',
    'c',
  ]);
});

test('length-field frames keep their header when nothing is stripped (netty example)', () => {
  const codec = new LengthFieldBasedFrameCodec({ lengthFieldLength: 2 }, { lengthFieldLength: 2 });
  const frame = decodeAll(codec, [Buffer.from([0, 3, 0x61, 0x62, 0x63])]);
  assert.deepEqual(frame, ['\0\u0003abc']);
  const header = new LengthFieldBasedFrameCodec(
    { lengthFieldLength: 1 },
    { lengthFieldOffset: 1, lengthFieldLength: 1, initialBytesToStrip: 2 },
  );
  assert.deepEqual(decodeAll(header, [Buffer.from([0xca, 2, 0x68, 0x69])]), ['hi']);
});

test('a frame over maxFrameLength fails with FrameTooLongError before it is buffered', () => {
  const line = new LineBasedFrameCodec({ maxFrameLength: 8 });
  assert.throws(() => decodeAll(line, [Buffer.from('0123456789')]), FrameTooLongError);
  assert.deepEqual(decodeAll(line, [Buffer.from('01234567\r\n')]), ['01234567']);
  const delimited = new DelimiterBasedFrameCodec(';', { maxFrameLength: 4 });
  assert.throws(() => decodeAll(delimited, [Buffer.from('abcde;')]), FrameTooLongError);
  const length = new LengthFieldBasedFrameCodec(
    { lengthFieldLength: 4 },
    { lengthFieldLength: 4, initialBytesToStrip: 4 },
    { maxFrameLength: 1024 },
  );
  const hostile = Buffer.from([0x7f, 0xff, 0xff, 0xff]); // announces 2 GiB, sends 4 bytes
  assert.throws(() => decodeAll(length, [hostile]), FrameTooLongError);
  const huge = new LengthFieldBasedFrameCodec({ lengthFieldLength: 8 }, { lengthFieldLength: 8 });
  assert.throws(() => decodeAll(huge, [Buffer.alloc(8, 0xff)]), FrameTooLongError);
  assert.throws(() => new FixedLengthFrameCodec(10, { maxFrameLength: 4 }), FrameTooLongError);
});

test('a negative adjusted length fails with ERR_CORRUPTED_FRAME', () => {
  const codec = new LengthFieldBasedFrameCodec(
    { lengthFieldLength: 1 },
    { lengthFieldLength: 1, lengthAdjustment: -5 },
  );
  assert.throws(() => decodeAll(codec, [Buffer.from([2, 0, 0])]), CorruptedFrameError);
});

test('encoders check what they are given', () => {
  const source = new Source();
  const fixed = new FixedLengthFrameCodec(4);
  assert.throws(() => fixed.encode(source, Buffer.from('abc')), {
    code: 'ERR_INVALID_FIXED_LENGTH',
  });
  assert.equal(fixed.encode(source, Buffer.from('abcdefgh')).length, 8);
  const byte = new LengthFieldBasedFrameCodec({ lengthFieldLength: 1 }, { lengthFieldLength: 1 });
  assert.throws(() => byte.encode(source, Buffer.alloc(256)), { code: 'ERR_INVALID_OPTION' });
  assert.throws(
    () => new LengthFieldBasedFrameCodec({ lengthFieldLength: 5 as 4 }, { lengthFieldLength: 4 }),
  );
  assert.throws(() => new DelimiterBasedFrameCodec(''), { code: 'ERR_INVALID_OPTION' });
  assert.throws(() => new LineBasedFrameCodec({ maxFrameLength: 0 }), {
    code: 'ERR_INVALID_OPTION',
  });
});

test('next/peek/discard over the inbound chunks', () => {
  const source = new Source();
  source.inbound.push(Buffer.from('ab'));
  source.inbound.push(Buffer.from('cde'));
  assert.equal(source.peek(3).toString(), 'abc');
  assert.throws(() => source.next(6), ShortBufferError);
  assert.equal(source.inboundBuffered, 5, 'a short read consumes nothing');
  assert.equal(source.next(1).toString(), 'a');
  assert.equal(source.discard(2), 2);
  assert.equal(source.next().toString(), 'de');
  assert.equal(source.discard(), 0);
  assert.equal(source.next().length, 0);
});

test('bad codec settings and counts are InvalidArgumentErrors', () => {
  assert.throws(
    () =>
      new LengthFieldBasedFrameCodec(
        { lengthFieldLength: 2, byteOrder: 'be' as 'BE' },
        { lengthFieldLength: 2 },
      ),
    { name: 'InvalidArgumentError', code: 'ERR_INVALID_OPTION' },
  );
  assert.throws(
    () =>
      new LengthFieldBasedFrameCodec(
        { lengthFieldLength: 2 },
        { lengthFieldLength: 2, lengthFieldOffset: -1 },
      ),
    { code: 'ERR_INVALID_OPTION' },
  );
  const source = new Source();
  source.inbound.push(Buffer.from('abcdef'));
  assert.throws(() => source.discard(1.5), { code: 'ERR_INVALID_OPTION' });
  assert.throws(() => source.next(Number.NaN), { code: 'ERR_INVALID_OPTION' });
  assert.equal(source.inboundBuffered, 6, 'nothing was consumed');
});
