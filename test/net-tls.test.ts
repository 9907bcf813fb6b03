import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { type Conn, createClient, start } from '../src/net/index.js';
import {
  deferred,
  dial,
  LOOP_0,
  LOOP_MODELS,
  readExactly,
  selfSignedCert,
  socketPath,
  until,
} from './net-helpers.js';

const { key, cert } = selfSignedCert();
const TCP = 'tcp://127.0.0.1:0';
const portOf = (addr: string) => Number(/:(\d+)$/.exec(addr)![1]);

/** A TLS connection from node:tls, trusting the test's certificate. */
async function secureDial(addr: string): Promise<TLSSocket> {
  const socket = tlsConnect({ host: '127.0.0.1', port: portOf(addr), ca: cert });
  await once(socket, 'secureConnect');
  return socket;
}

test('tls: the engine serves TLS, the handler sees plaintext, onOpen after the handshake', async () => {
  const opened: boolean[] = [];
  const engine = await start(
    {
      onOpen: (conn) => void opened.push(conn.tls),
      onTraffic: (conn) => conn.write(conn.next().toString().toUpperCase()),
    },
    TCP,
    { tls: { key, cert } },
  );
  const socket = await secureDial(engine.addrs[0]!);
  assert.ok(socket.authorized, 'the certificate checks out');
  const reply = readExactly(socket, 5);
  socket.write('hello');
  assert.equal((await reply).toString(), 'HELLO');
  assert.deepEqual(opened, [true]);
  socket.destroy();
  await engine.stop();
});

test('tls: a dialled client conn speaks TLS; one that trusts nothing fails its dial', async () => {
  const quiet = { error: () => {} }; // the refused handshake
  const engine = await start({ onTraffic: (conn) => conn.write(conn.next()) }, TCP, {
    tls: { key, cert },
    logger: quiet,
  });
  const echoed = deferred<string>();
  const client = await createClient(
    { onTraffic: (conn) => echoed.resolve(conn.next().toString()) },
    { tls: { ca: cert } },
  );
  const conn = await client.dial(engine.addrs[0]!);
  assert.equal(conn.tls, true);
  conn.write('secret');
  assert.equal(await echoed.promise, 'secret');
  // A client that trusts nothing is refused by its own side: dial rejects, nothing opens.
  const untrusting = await createClient({}, { tls: {} });
  await assert.rejects(untrusting.dial(engine.addrs[0]!), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  assert.equal(untrusting.countConnections(), 0);
  await untrusting.stop();
  await client.stop();
  await engine.stop();
});

test('tls: enroll adopts a TLSSocket, conn.tls true', async () => {
  const engine = await start({ onTraffic: (conn) => conn.write(conn.next()) }, TCP, {
    tls: { key, cert },
  });
  const echoed = deferred<string>();
  const client = await createClient({
    onTraffic: (conn) => echoed.resolve(conn.next().toString()),
  });
  const conn = client.enroll(await secureDial(engine.addrs[0]!));
  assert.equal(conn.tls, true);
  conn.write('enrolled');
  assert.equal(await echoed.promise, 'enrolled');
  await client.stop();
  await engine.stop();
});

test('tls: failed handshakes never reach the handler and are logged at most once a second', async () => {
  const lines: string[] = [];
  let opened = 0;
  const engine = await start({ onOpen: () => void opened++ }, TCP, {
    tls: { key, cert },
    logger: { error: (message) => void lines.push(message) },
  });
  const failures = 10;
  for (let i = 0; i < failures; i++) {
    const socket = await dial(engine.addrs[0]!);
    socket.write('GET / HTTP/1.1\r\n\r\n'); // not a ClientHello
    await once(socket, 'close');
  }
  await until(() => lines.length > 0, 'logged');
  assert.equal(opened, 0);
  assert.ok(
    lines.every((line) => /TLS handshake failed/.test(line)),
    lines.join('\n'),
  );
  assert.ok(lines.length <= 2, `${lines.length} lines for ${failures} failures`);
  assert.equal(engine.countConnections(), 0);
  await engine.stop();
});

test('tls: only TCP listeners speak TLS; a Unix one on the same engine is plain', async () => {
  const engine = await start(
    { onTraffic: (conn: Conn) => conn.write(conn.tls ? 'tls' : 'plain') },
    [TCP, `unix://${socketPath()}`],
    { tls: { key, cert } },
  );
  const unix = await dial(engine.addrs[1]!);
  const reply = readExactly(unix, 5);
  unix.write('?');
  assert.equal((await reply).toString(), 'plain');
  unix.destroy();
  await engine.stop();
});

test('tls: bad options reject ERR_INVALID_OPTION', async () => {
  const code = { name: 'InvalidArgumentError', code: 'ERR_INVALID_OPTION' };
  await assert.rejects(start({}, TCP, { tls: 'yes' as never }), code);
  await assert.rejects(start({}, TCP, { tls: { key: 'not a key', cert: 'not a cert' } }), code);
  // Several loops clone the options into each: a function cannot go.
  const handler = new URL('./fixtures/net-handler.mjs', import.meta.url);
  const sni = { key, cert, SNICallback: () => {} };
  await assert.rejects(
    start(handler, TCP, { numEventLoop: 2, loops: 'processes', tls: sni }),
    code,
  );
});

for (const { loops, skip } of LOOP_MODELS) {
  test(`tls with ${loops}: every loop serves TLS`, { skip, timeout: 30_000 }, async () => {
    const handler = new URL('./fixtures/net-handler.mjs', import.meta.url);
    const engine = await start(handler, TCP, { numEventLoop: 2, loops, tls: { key, cert } });
    const seen = new Set<string>();
    for (let tries = 0; tries < 100 && seen.size < 2; tries++) {
      const socket = await secureDial(engine.addrs[0]!);
      const reply = once(socket, 'data');
      socket.write('who?');
      seen.add(String((await reply)[0]));
      socket.destroy();
    }
    assert.ok(seen.has(LOOP_0));
    assert.equal(seen.size, 2, [...seen].join(', '));
    await engine.stop();
  });
}
