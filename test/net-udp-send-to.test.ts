import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { test } from 'node:test';
import { type Conn, start } from '../src/net/index.js';
import { datagram, dial, until } from './net-helpers.js';

test('UDP sendTo: a datagram to any udp:// address, from the socket the request came on', async () => {
  const listener = createSocket('udp4');
  listener.bind(0, '127.0.0.1');
  await once(listener, 'listening');
  const target = `udp://127.0.0.1:${listener.address().port}`;
  const errors: unknown[] = [];
  const engine = await start(
    {
      onTraffic(conn: Conn) {
        const to = conn.next().toString();
        try {
          conn.sendTo!(`forwarded by ${conn.localAddr}`, to);
          conn.write('sent');
        } catch (err) {
          errors.push(err);
          conn.write('refused');
        }
      },
    },
    'udp://127.0.0.1:0',
  );
  const arrived = once(listener, 'message');
  assert.equal((await datagram(engine.addrs[0]!, Buffer.from(target))).toString(), 'sent');
  const [message, from] = (await arrived) as [Buffer, { port: number }];
  assert.equal(message.toString(), `forwarded by ${engine.addrs[0]}`);
  assert.equal(`udp://127.0.0.1:${from.port}`, engine.addrs[0]);

  for (const bad of ['tcp://127.0.0.1:9', 'unix:///tmp/x', 'gopher://a:1', '127.0.0.1:9']) {
    assert.equal((await datagram(engine.addrs[0]!, Buffer.from(bad))).toString(), 'refused');
  }
  assert.deepEqual(
    errors.map((err) => (err as { code: string }).code),
    [
      'ERR_INVALID_NETWORK_ADDRESS',
      'ERR_INVALID_NETWORK_ADDRESS',
      'ERR_UNSUPPORTED_PROTOCOL',
      'ERR_INVALID_NETWORK_ADDRESS',
    ],
  );
  listener.close();
  await engine.stop();
});

test('stream conns have no sendTo', async () => {
  let sendTo: unknown = 'unset';
  const engine = await start(
    {
      onOpen(conn) {
        sendTo = conn.sendTo;
      },
    },
    'tcp://127.0.0.1:0',
  );
  const socket = await dial(engine.addrs[0]!);
  await until(() => sendTo !== 'unset', 'open');
  assert.equal(sendTo, undefined);
  socket.destroy();
  await engine.stop();
});
