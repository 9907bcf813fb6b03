import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { Action, type Client, createClient, start } from '../src/net/index.js';
import { deferred, selfSignedCert } from './net-helpers.js';

test('the ticker starts at once and onBoot is never called; stop() closes, then onShutdown(client)', async () => {
  const calls: string[] = [];
  const ticked = deferred();
  let shutdownWith: unknown;
  const engine = await start({}, 'tcp://127.0.0.1:0');
  const client = await createClient(
    {
      onBoot: () => void calls.push('onBoot'),
      onTick() {
        calls.push('onTick');
        ticked.resolve();
        return 60_000;
      },
      onClose: (_conn, err) => void calls.push(`onClose ${err}`),
      onShutdown(view) {
        calls.push('onShutdown');
        shutdownWith = view;
      },
    },
    { ticker: true },
  );
  await ticked.promise;
  await client.dial(engine.addrs[0]!);
  await client.stop();
  assert.deepEqual(calls, ['onTick', 'onClose null', 'onShutdown']);
  assert.equal(shutdownWith, client);
  assert.deepEqual(client.addrs, []);
  assert.equal(client.countConnections(), 0);
  await client.done;
  await assert.rejects(client.stop(), { code: 'ERR_ENGINE_IN_SHUTDOWN' });
  await assert.rejects(client.dial(engine.addrs[0]!), { code: 'ERR_ENGINE_IN_SHUTDOWN' });
  await engine.stop();
});

test('Action.Shutdown from a client handler stops the client', async () => {
  const engine = await start({ onOpen: (conn) => conn.write('bye') }, 'tcp://127.0.0.1:0');
  const client = await createClient({ onTraffic: () => Action.Shutdown });
  await client.dial(engine.addrs[0]!);
  await client.done;
  assert.equal(client.countConnections(), 0);
  await engine.stop();
});

/** A TCP server that accepts and never answers: a TLS dial to it hangs in its handshake. */
async function silentServer(): Promise<{ addr: string; close(): void }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket)).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    addr: `tcp://127.0.0.1:${port}`,
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

test('a dial in progress rejects AbortError when its signal aborts, ERR_ENGINE_IN_SHUTDOWN on stop()', async () => {
  const silent = await silentServer();
  const { cert } = selfSignedCert();
  const client: Client = await createClient({}, { tls: { ca: cert } });
  await assert.rejects(client.dial(silent.addr, { signal: AbortSignal.abort('early') }), {
    code: 'ERR_TASK_ABORTED',
    cause: 'early',
  });
  const controller = new AbortController();
  const aborted = client.dial(silent.addr, { signal: controller.signal });
  const stopped = client.dial(silent.addr);
  setTimeout(() => controller.abort('late'), 50);
  await assert.rejects(aborted, { code: 'ERR_TASK_ABORTED', cause: 'late' });
  setTimeout(() => void client.stop(), 50);
  await assert.rejects(stopped, { code: 'ERR_ENGINE_IN_SHUTDOWN' });
  await client.done;
  assert.equal(client.countConnections(), 0);
  silent.close();
});

test('createClient rejects a handler that is not an object, and bad options', async () => {
  const code = { name: 'InvalidArgumentError', code: 'ERR_INVALID_OPTION' };
  await assert.rejects(createClient('handler.mjs' as never), code);
  await assert.rejects(createClient(null as never), code);
  for (const options of [
    null,
    { idleTimeout: -1 },
    { idleTimeout: 2 ** 31 },
    { idleTimeout: '5' },
    { tls: true },
    { codec: {} },
    { logger: console.log },
    { tcpNoDelay: 1 },
  ]) {
    await assert.rejects(createClient({}, options as never), code, JSON.stringify(options));
  }
});
