import assert from 'node:assert/strict';
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { test } from 'node:test';
import { dial, until } from './net-helpers.js';

// 10,000 connections open at once, each echoing its own message; then stop() closes them all.
// The engine runs in a child process: both ends of 10,000 connections in one process would need
// 20,000 descriptors, more than many machines allow one process.

const CONNECTIONS = 10_000;
/** Connections dialled at once: more would overflow the listen backlog (511) for nothing. */
const DIALLING = 200;

/** The file limit of this process (node raises its soft limit to the hard one at start). */
function fileLimit(): number {
  try {
    const line = /^Max open files\s+(\d+|unlimited)/m.exec(
      readFileSync('/proc/self/limits', 'utf8'),
    );
    return line?.[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(line?.[1] ?? 0);
  } catch {
    return 0; // not Linux: unknown
  }
}

const needed = CONNECTIONS + 500;
const skip =
  fileLimit() >= needed
    ? false
    : `needs a file limit of ${needed} descriptors (ulimit -Hn); this process has ${fileLimit()}`;

/** The next message from the child that has `key`. */
async function reply<T>(child: ChildProcess, key: string): Promise<T> {
  for (;;) {
    const [message] = (await once(child, 'message')) as [Record<string, T>];
    if (key in message) return message[key]!;
  }
}

test(`${CONNECTIONS} concurrent connections echo, and countConnections is 0 after stop()`, {
  skip,
  timeout: 240_000,
}, async (t) => {
  const child = fork(new URL('./fixtures/net-echo-remote.mjs', import.meta.url), {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  t.after(() => {
    if (child.exitCode === null) child.kill();
  });
  const addr = await reply<string>(child, 'addr');
  const sockets: Socket[] = [];
  const closed: Promise<unknown>[] = [];
  let next = 0;
  const dialSome = async () => {
    while (next < CONNECTIONS) {
      next++;
      const socket = await dial(addr);
      socket.on('error', () => {}); // a reset at stop() is a close too
      closed.push(once(socket, 'close'));
      sockets.push(socket);
    }
  };
  await Promise.all(Array.from({ length: DIALLING }, dialSome));
  assert.equal(sockets.length, CONNECTIONS);
  child.send('count');
  // The engine may see the last few a moment after the client: count until it has them all.
  let count = await reply<number>(child, 'count');
  for (let tries = 0; count < CONNECTIONS && tries < 100; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    child.send('count');
    count = await reply<number>(child, 'count');
  }
  assert.equal(count, CONNECTIONS);

  // Every connection echoes its own message, all in flight at once.
  const echoes = sockets.map((socket, i) => {
    const message = `connection ${i} of ${CONNECTIONS}\n`;
    let received = '';
    const done = new Promise<string>((resolve) => {
      const onData = (chunk: Buffer) => {
        received += chunk.toString();
        if (received.length >= message.length) {
          socket.off('data', onData);
          resolve(received);
        }
      };
      socket.on('data', onData);
    });
    socket.write(message);
    return done.then((got) => assert.equal(got, message));
  });
  await Promise.all(echoes);

  child.send('stop');
  assert.equal(await reply<number>(child, 'stopped'), 0);
  await Promise.all(closed);
  await until(() => child.exitCode !== null, 'exited');
  assert.equal(child.exitCode, 0);
});
