import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { start } from '../src/net/index.js';
import { dial } from './net-helpers.js';

const handler = new URL('./fixtures/net-handler.mjs', import.meta.url);
const TCP = 'tcp://127.0.0.1:0';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The pid of the process whose loop serves a new connection; NaN when it was closed unanswered
// (handed to a loop process that died before the engine heard of it).
async function pidOf(addr: string): Promise<number> {
  const socket = await dial(addr);
  socket.write('pid?');
  const reply = await Promise.race([
    once(socket, 'data').then(
      ([data]) => Number(String(data)),
      () => Number.NaN, // reset
    ),
    once(socket, 'close').then(() => Number.NaN),
  ]);
  socket.destroy();
  return reply;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Polls with a generous bound: a process' exit is not an event this side can await.
async function gone(pid: number): Promise<void> {
  for (let waited = 0; alive(pid); waited += 20) {
    if (waited > 20_000) assert.fail(`process ${pid} still runs`);
    await sleep(20);
  }
}

test('a loop process that dies: its connections go to loop 0, which keeps serving', async () => {
  const engine = await start(handler, TCP, { numEventLoop: 2 });
  const addr = engine.addrs[0]!;
  let loopPid = process.pid;
  while (loopPid === process.pid) loopPid = await pidOf(addr);
  process.kill(loopPid, 'SIGKILL');
  await gone(loopPid);
  let answered = 0;
  while (answered < 4) {
    const pid = await pidOf(addr);
    if (Number.isNaN(pid)) continue;
    assert.equal(pid, process.pid);
    answered++;
  }
  await engine.stop(); // resolves: Node's server.close() alone would wait forever here
});

test('a loop process whose primary dies closes its connections and exits', async () => {
  const entry = fileURLToPath(new URL('./fixtures/net-primary.mjs', import.meta.url));
  const primary = spawn(process.execPath, [entry], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(primary.stdout, 'data')) as [Buffer];
  const [addr, pid] = line.toString().trim().split(' ');
  const loopPid = Number(pid);
  // A connection of this process held open in the loop process: it must not keep it running.
  let held = await dial(addr!);
  for (;;) {
    held.write('pid?');
    const [reply] = (await once(held, 'data')) as [Buffer];
    if (Number(reply.toString()) === loopPid) break;
    held.destroy();
    held = await dial(addr!);
  }
  const closed = once(held, 'close');
  primary.kill('SIGKILL');
  await once(primary, 'exit');
  await gone(loopPid);
  await closed;
});
