import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { type TestContext, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { dial, readExactly } from './net-helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const TSX = ['--import', 'tsx'];

/**
 * Runs `examples/net/<name>.ts` on a free port, as written; resolves with its address. The server
 * is stopped when the test ends, failed or not: one left running would keep the file from ending.
 */
async function serve(
  t: TestContext,
  name: string,
): Promise<{ addr: string; server: ChildProcess }> {
  const server = spawn(process.execPath, [...TSX, `examples/net/${name}.ts`, 'tcp://127.0.0.1:0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => stop(server));
  const lines = createInterface({ input: server.stdout! });
  const [first] = (await once(lines, 'line')) as [string];
  const addr = /listening on (\S+)/.exec(first)?.[1];
  assert.ok(addr, `the example printed its address: ${first}`);
  return { addr, server };
}

async function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  server.kill();
  await once(server, 'exit');
}

/** Lines from a socket, as they arrive. */
function lines(socket: import('node:net').Socket): AsyncIterator<string> {
  return createInterface({ input: socket })[Symbol.asyncIterator]();
}

test('examples/net/echo.ts echoes', async (t) => {
  const { addr, server } = await serve(t, 'echo');
  const socket = await dial(addr);
  const reply = readExactly(socket, 11);
  socket.write('hello world');
  assert.equal((await reply).toString(), 'hello world');
  socket.destroy();
  await stop(server);
});

test('examples/net/http.ts answers pipelined and split requests in order', {
  timeout: 10_000,
}, async (t) => {
  const { addr, server } = await serve(t, 'http');
  const socket = await dial(addr);
  const response =
    'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!';
  const reply = readExactly(socket, response.length * 4);
  socket.write('GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\nGET /c HTT');
  socket.write('P/1.1\r\nHost: a\r\n\r\n');
  await new Promise((resolve) => setTimeout(resolve, 50)); // its own read: no whole request in it
  socket.write('GET /d HTTP/1.1\r\nHost: a\r\n\r');
  await new Promise((resolve) => setTimeout(resolve, 50));
  socket.write('\n');
  assert.equal((await reply).toString(), response.repeat(4));
  socket.destroy();
  await stop(server);
});

test('examples/net/push.ts broadcasts ticks to every client', async (t) => {
  const { addr, server } = await serve(t, 'push');
  const clients = await Promise.all([dial(addr), dial(addr)]);
  for (const client of clients) {
    const next = await lines(client).next();
    assert.match(String(next.value), /^tick \d+$/);
    client.destroy();
  }
  await stop(server);
});

test('examples/net/length-field-client.ts talks to length-field-server.ts', async (t) => {
  const { addr, server } = await serve(t, 'length-field-server');
  const run = promisify(execFile);
  const { stdout } = await run(
    process.execPath,
    [...TSX, 'examples/net/length-field-client.ts', addr],
    {
      cwd: root,
    },
  );
  assert.equal(stdout, 'reply: HELLO\nreply: GNET\nreply: IN NODE\n');
  await stop(server);
});

test('examples/net/offload.ts computes in threads while the loop keeps answering', async (t) => {
  const { addr, server } = await serve(t, 'offload');
  const busy = await dial(addr);
  const busyLines = lines(busy);
  busy.write('fib 36\nfib 36\nfib 36\nfib 36\n');
  const quick = await dial(addr);
  const quickLines = lines(quick);
  for (let i = 0; i < 20; i++) {
    quick.write('ping\n');
    assert.equal((await quickLines.next()).value, 'pong');
  }
  for (let i = 0; i < 4; i++) assert.equal((await busyLines.next()).value, 'fib 36 = 14930352');
  quick.write('delay\n');
  const report = String((await quickLines.next()).value);
  const max = Number(/max ([\d.]+) ms/.exec(report)?.[1]);
  // Computed inline, the four fib(36) of one read would stall the loop for all of them at once:
  // ~0.8 s on an idle machine, more on a busy one. In threads, the loop's worst delay is only the
  // machine's own scheduling stalls, up to ~220 ms seen on a loaded 2-core machine (fib(32) and a
  // 100 ms bound could not tell the two apart there).
  t.diagnostic(report);
  assert.ok(max < 400, `event-loop delay: ${report}`);
  busy.destroy();
  quick.destroy();
  await stop(server);
});
