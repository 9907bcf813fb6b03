/**
 * Slow-loris peers, in a process of their own: `--conns N` connections to `--port`, each sending
 * one byte a second (spread over the second) and reading what comes back. Prints
 * `{"connected":N}` once all are open, then trickles until its stdin closes.
 *
 * Usage: node bench/net/slowloris-peers.mjs --port 40123 --conns 1000
 */
import { connect } from 'node:net';
import { parseArgs } from 'node:util';
import { all, fail, positiveInt, refuseLoader } from '../lib/child.mjs';

refuseLoader();
const { values } = parseArgs({ options: { port: { type: 'string' }, conns: { type: 'string' } } });
const port = positiveInt(values.port, 'port');
const conns = positiveInt(values.conns, 'conns');

/** @returns {Promise<import('node:net').Socket>} */
const open = () =>
  new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
    socket.on('data', () => {});
  });

let sockets = [];
try {
  // A hundred at a time: the listen backlog is finite.
  for (let i = 0; i < conns; i += 100)
    sockets = sockets.concat(await all(Math.min(100, conns - i), open));
} catch (err) {
  fail(`connecting: ${err}`);
}
const timers = sockets.map((socket, i) =>
  setTimeout(
    () => {
      socket.write('x');
      timers[i] = setInterval(() => socket.write('x'), 1000);
    },
    (1000 * i) / conns,
  ),
);
process.stdout.write(`${JSON.stringify({ connected: sockets.length })}\n`);
process.stdin.on('end', () => {
  for (const timer of timers) clearInterval(timer);
  for (const socket of sockets) socket.destroy();
  process.exit(0);
});
process.stdin.resume();
