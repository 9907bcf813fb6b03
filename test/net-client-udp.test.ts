import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { test } from 'node:test';
import { createClient, LineBasedFrameCodec, start } from '../src/net/index.js';
import { deferred, until } from './net-helpers.js';

test('a dialled UDP conn decodes each datagram with the codec; a partial frame is dropped', async () => {
  const engine = await start({ onTraffic: (conn) => conn.write(conn.next()) }, 'udp://127.0.0.1:0');
  const frames: string[] = [];
  let traffic = 0;
  const client = await createClient(
    {
      onTraffic(conn) {
        traffic++;
        for (let frame = conn.readFrame(); frame !== undefined; frame = conn.readFrame()) {
          frames.push(frame.toString());
        }
      },
    },
    { codec: new LineBasedFrameCodec() },
  );
  const conn = await client.dial(engine.addrs[0]!);
  conn.write('a\nb\npartial');
  await until(() => frames.length === 2, 'two frames');
  conn.writeFrame(Buffer.from('c')); // "partial" does not run on into this datagram
  await until(() => frames.length === 3, 'the third');
  assert.deepEqual(frames, ['a', 'b', 'c']);
  assert.equal(traffic, 2);
  conn.wake();
  await until(() => traffic === 3, 'woken');
  await client.stop();
  await engine.stop();
});

test('a dialled UDP conn to a port no one listens on closes with ECONNREFUSED', async () => {
  const probe = createSocket('udp4');
  probe.bind(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address();
  probe.close();
  const closed = deferred<Error | null>();
  const client = await createClient({ onClose: (_conn, err) => closed.resolve(err) });
  const conn = await client.dial(`udp://127.0.0.1:${port}`);
  conn.write('anyone?'); // the ICMP "port unreachable" comes back as an error on the socket
  assert.equal(((await closed.promise) as NodeJS.ErrnoException).code, 'ECONNREFUSED');
  assert.equal(client.countConnections(), 0);
  await client.stop();
});
