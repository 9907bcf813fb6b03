import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { start } from '../src/net/index.js';
import { dial, LOOP_0, LOOP_MODELS, loopOf, servedBy, until } from './net-helpers.js';

const handler = new URL('./fixtures/net-handler.mjs', import.meta.url);
const TCP = 'tcp://127.0.0.1:0';

/** A logger that keeps what it is given. */
function keeper() {
  const lines: { message: string; args: unknown[] }[] = [];
  return {
    lines,
    logger: { error: (message: string, ...args: unknown[]) => lines.push({ message, args }) },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Until a loop other than loop 0 and `dead` serves again, every connection is answered by
 * loop 0 or by that new loop (one may close unanswered while the dead loop goes); resolves
 * with the new loop.
 */
async function replacementOf(addr: string, dead: string): Promise<string> {
  for (const started = Date.now(); Date.now() - started < 10_000; ) {
    const loop = await loopOf(addr);
    if (loop === undefined || loop === LOOP_0) continue;
    assert.notEqual(loop, dead, 'the dead loop served');
    return loop;
  }
  throw new Error('no other loop serves again within 10 s');
}

for (const { loops, skip } of LOOP_MODELS) {
  const a = loops === 'threads' ? 'thread' : 'process';
  test(`a loop ${a} that crashes is logged to loop 0 and replaced`, {
    skip,
  }, async () => {
    const { lines, logger } = keeper();
    const engine = await start(handler, TCP, { numEventLoop: 2, loops, logger });
    const addr = engine.addrs[0]!;
    const other = await servedBy(addr, (loop) => loop !== LOOP_0);
    const closed = once(other.socket, 'close');
    other.socket.write('crash!');
    await closed; // the loop took its connections with it
    const died = () =>
      lines.find(({ message }) =>
        /event loop 1 \(a (thread|process)\) died; starting another/.test(message),
      );
    await until(() => died() !== undefined, 'logged');
    assert.match(String((died()!.args[0] as Error).message), /crashed on purpose/);
    const fresh = await replacementOf(addr, other.loop);
    await engine.stop();
    assert.equal(engine.countConnections(), 0);
    if (loops === 'threads')
      assert.equal(fresh.split('/')[0], String(process.pid), 'a thread here');
  });

  test(`a handler error in a loop ${a} reaches loop 0's logger`, {
    skip,
  }, async () => {
    const { lines, logger } = keeper();
    const engine = await start(handler, TCP, { numEventLoop: 2, loops, logger });
    const other = await servedBy(engine.addrs[0]!, (loop) => loop !== LOOP_0);
    const closed = once(other.socket, 'close');
    other.socket.write('throw!');
    await closed; // a throwing handler closes its connection
    await until(() => lines.some(({ message }) => message.includes('onTraffic threw')), 'logged');
    const { args } = lines.find(({ message }) => message.includes('onTraffic threw'))!;
    assert.ok(args[0] instanceof Error);
    assert.equal(args[0].message, `thrown on purpose in loop ${other.loop}`);
    await engine.stop();
  });
}

test('a loop process killed is logged; stop() still resolves', async () => {
  const { lines, logger } = keeper();
  const engine = await start(handler, TCP, { numEventLoop: 2, loops: 'processes', logger });
  const addr = engine.addrs[0]!;
  const other = await servedBy(addr, (loop) => loop !== LOOP_0);
  other.socket.destroy();
  const pid = Number(other.loop.split('/')[0]);
  process.kill(pid, 'SIGKILL');
  await until(() => !alive(pid), `process ${pid} gone`);
  await until(() => lines.some(({ args }) => /killed by SIGKILL/.test(String(args[0]))), 'logged');
  const served = await loopOf(addr); // by loop 0, or by the replacement if it is ready
  assert.ok(served !== undefined && served !== other.loop, `served by ${served}`);
  await engine.stop(); // resolves: Node's server.close() alone would wait forever here
});

test('a loop process whose primary dies closes its connections and exits', async () => {
  const entry = fileURLToPath(new URL('./fixtures/net-primary.mjs', import.meta.url));
  const primary = spawn(process.execPath, [entry], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(primary.stdout, 'data')) as [Buffer];
  const [addr, loop] = line.toString().trim().split(' ');
  const loopPid = Number(loop!.split('/')[0]);
  // A connection of this process held open in the loop process: it must not keep it running.
  let held = await dial(addr!);
  for (;;) {
    held.write('who?');
    const [reply] = (await once(held, 'data')) as [Buffer];
    if (reply.toString() === loop) break;
    held.destroy();
    held = await dial(addr!);
  }
  const closed = once(held, 'close');
  primary.kill('SIGKILL');
  await once(primary, 'exit');
  await until(() => !alive(loopPid), `process ${loopPid} gone`, 20_000);
  await closed;
});
