import assert from 'node:assert/strict';
import diagnosticsChannel from 'node:diagnostics_channel';
import { test } from 'node:test';
import { Action, type ConnChannelMessage, type EventHandler, start } from '../src/net/index.js';
import { deferred } from './helpers.js';
import { dial, readAll } from './net-helpers.js';

/** Records antpool:net:open and antpool:net:close until `stop()`. */
function record() {
  const seen: { event: 'open' | 'close'; message: ConnChannelMessage; inHandler: string[] }[] = [];
  const handlerCalls: string[] = [];
  const onOpen = (message: unknown) =>
    seen.push({
      event: 'open',
      message: message as ConnChannelMessage,
      inHandler: [...handlerCalls],
    });
  const onClose = (message: unknown) =>
    seen.push({
      event: 'close',
      message: message as ConnChannelMessage,
      inHandler: [...handlerCalls],
    });
  diagnosticsChannel.subscribe('antpool:net:open', onOpen);
  diagnosticsChannel.subscribe('antpool:net:close', onClose);
  const stop = () => {
    diagnosticsChannel.unsubscribe('antpool:net:open', onOpen);
    diagnosticsChannel.unsubscribe('antpool:net:close', onClose);
  };
  return { seen, handlerCalls, stop };
}

test('each connection publishes open before onOpen and close after onClose, with its conn', async () => {
  const { seen, handlerCalls, stop } = record();
  const closed = deferred();
  const handler: EventHandler = {
    onOpen: () => {
      handlerCalls.push('onOpen');
    },
    onTraffic(conn) {
      conn.write(conn.next());
      return Action.Close;
    },
    onClose: () => {
      handlerCalls.push('onClose');
      closed.resolve();
    },
  };
  const engine = await start(handler, 'tcp://127.0.0.1:0');
  try {
    const socket = await dial(engine.addrs[0]!);
    socket.end('ping');
    assert.equal((await readAll(socket)).toString(), 'ping');
    await closed.promise;
  } finally {
    stop();
    await engine.stop();
  }
  assert.deepEqual(
    seen.map(({ event, inHandler }) => [event, inHandler]),
    [
      ['open', []],
      ['close', ['onOpen', 'onClose']],
    ],
  );
  assert.equal(seen[0]!.message.conn, seen[1]!.message.conn);
  assert.equal(seen[0]!.message.err, null);
  assert.equal(seen[1]!.message.err, null);
});

test('a connection closed by an error publishes close with that error', async () => {
  const { seen, stop } = record();
  const closed = deferred();
  const handler: EventHandler = {
    onTraffic() {
      throw new Error('handler failed');
    },
    onClose: () => closed.resolve(),
  };
  const logged: unknown[] = [];
  const engine = await start(handler, 'tcp://127.0.0.1:0', {
    logger: { error: (...args: unknown[]) => logged.push(args) },
  });
  try {
    const socket = await dial(engine.addrs[0]!);
    socket.on('error', () => {});
    socket.write('boom');
    await closed.promise;
  } finally {
    stop();
    await engine.stop();
  }
  const close = seen.find(({ event }) => event === 'close');
  assert.equal(close?.message.err?.message, 'handler failed');
  assert.equal(logged.length, 1);
});
