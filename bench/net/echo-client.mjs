/**
 * The echo load generator of the network benchmark, in its own process: opens `--conns`
 * loopback connections to an echo server, keeps each one's pipeline full, and counts the bytes
 * echoed back over a fixed duration after a warm-up.
 *
 * Made to cost the server's cores as little as it can: each connection keeps `--depth` messages
 * in flight and writes `--batch` of them at a time from one buffer built up front (no
 * allocation per message or per write); reads land in one shared buffer through `onread` (no
 * Buffer per read, no 'data' event) and are only counted, not parsed: a message is `--size`
 * bytes, so messages/s is bytes/s over the size.
 *
 * Usage:
 *   node bench/net/echo-client.mjs --port 40123 --conns 100 --size 1024 --depth 32 --batch 8 \
 *     --warmup 500 --duration 3000
 * Prints:
 *   {"bytes":1048576000,"seconds":3.001,"mbPerSec":349.4,"msgPerSec":341230.1}
 * (MB = 10^6 bytes). Exits 1 when a connection fails, closes early or is never echoed to.
 */
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { all, fail, positiveInt, refuseLoader } from '../lib/child.mjs';

refuseLoader();

const FLAGS = ['port', 'conns', 'size', 'depth', 'batch', 'warmup', 'duration'];
const { values } = parseArgs({
  options: Object.fromEntries(FLAGS.map((flag) => [flag, { type: 'string' }])),
});
const [port, conns, size, depth, batch, warmup, duration] = FLAGS.map((flag) =>
  positiveInt(values[flag], flag),
);
if (batch > depth) fail('--batch must not exceed --depth');

/** What every write sends: `batch` messages. Never changed, so written again and again. */
const BATCH = Buffer.alloc(size * batch, 'x');
/** Bytes a connection may have sent and not yet got back. */
const WINDOW = size * depth;
/** Where every read lands: `onread` callbacks run one at a time and bytes are only counted. */
const READS = Buffer.allocUnsafe(256 * 1024);

/** Bytes echoed back so far, all connections together. */
let received = 0;
let stopping = false;

/**
 * Opens connection `i` and fills its window; resolves once connected, with its socket and its
 * count of bytes echoed back.
 * @param {number} i
 * @returns {Promise<{ socket: import('node:net').Socket, echoed: () => number }>}
 */
function open(i) {
  let inFlight = 0;
  let echoed = 0;
  /** @type {import('node:net').Socket} */
  let socket;
  const fill = () => {
    while (inFlight + BATCH.length <= WINDOW) {
      socket.write(BATCH);
      inFlight += BATCH.length;
    }
  };
  const onread = (bytes) => {
    received += bytes;
    echoed += bytes;
    inFlight -= bytes;
    fill();
    return true;
  };
  return new Promise((resolve) => {
    socket = connect({
      port,
      host: '127.0.0.1',
      noDelay: true,
      onread: { buffer: READS, callback: onread },
    });
    socket.once('connect', () => {
      fill();
      resolve({ socket, echoed: () => echoed });
    });
    // Before `stopping`, any error or close is a failure (connecting too): stop and say so.
    socket.on('error', (err) => (stopping ? undefined : fail(`connection ${i}: ${err.message}`)));
    socket.on('close', () => (stopping ? undefined : fail(`connection ${i} closed early`)));
  });
}

const connections = await all(conns, open);
await sleep(warmup);
const [from, started] = [received, performance.now()];
await sleep(duration);
const [to, ended] = [received, performance.now()];
stopping = true;
for (const { socket } of connections) socket.destroy();

const starved = connections.findIndex(({ echoed }) => echoed() === 0);
if (starved >= 0) fail(`connection ${starved} got no echo`);
const bytes = to - from;
const seconds = (ended - started) / 1000;
const perSecond = bytes / seconds;
process.stdout.write(
  `${JSON.stringify({ bytes, seconds, mbPerSec: perSecond / 1e6, msgPerSec: perSecond / size })}\n`,
);
