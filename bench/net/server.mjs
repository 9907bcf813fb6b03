/**
 * One server of the network benchmark, in a fresh process: a single contender serving a single
 * app on 127.0.0.1, on a free port. `index.ts` starts it once per (scenario, contender, round),
 * puts it under load from another process, then closes this process' stdin: the cue to stop.
 *
 * Plain JavaScript, run as `node server.mjs` with no loader (it refuses to run under one), for
 * the reasons given in `../async/child.mjs`; it imports antpool/net from the build in
 * `../../dist`, and its handlers are modules beside it (`echo-handler.mjs`, `http-handler.mjs`)
 * so that the loop threads or processes of `numEventLoop: 2` can import them too.
 *
 * Usage:
 *   node bench/net/server.mjs --app echo --contender 'antpool/net (2 thread loops)'
 * Prints, once listening (`pid`: where the benchmark reads the server's memory):
 *   {"app":"echo","contender":"antpool/net (2 thread loops)","port":40123,"pid":4242}
 * Exits 0 once stdin closes and the server stopped; 1 when it fails to start.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { fail, refuseLoader } from '../lib/child.mjs';

refuseLoader();

const HOST = '127.0.0.1';

/**
 * A listening server: its port, and how to stop it.
 * @typedef {{ port: number, close: () => Promise<void> }} Server
 */

/**
 * antpool/net on `handler` (a module beside this file) with `count` event loops, run as
 * `loops` says when there are several.
 * @param {string} handler @param {number} count @param {'threads' | 'processes'} [loops]
 * @returns {Promise<Server>}
 */
async function antpool(handler, count, loops) {
  const { start } = await import('../../dist/net/index.js');
  const engine = await start(new URL(handler, import.meta.url), `tcp://${HOST}:0`, {
    numEventLoop: count,
    loops,
  });
  return { port: Number(new URL(engine.addrs[0]).port), close: () => engine.stop() };
}

/**
 * Listens with a `node:net` or `node:http` server; `close` drops the connections still open.
 * @param {import('node:net').Server} server @returns {Promise<Server>}
 */
function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const sockets = new Set();
      server.on('connection', (socket) => {
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
      });
      const close = () => {
        for (const socket of sockets) socket.destroy();
        return new Promise((done) => server.close(() => done()));
      };
      resolve({
        port: /** @type {import('node:net').AddressInfo} */ (server.address()).port,
        close,
      });
    });
  });
}

/** Plain `node:net`: every chunk read is written back. Nagle off, as antpool/net's default. */
const nodeEcho = () =>
  listen(
    createServer({ noDelay: true }, (socket) => {
      socket.on('data', (data) => socket.write(data));
      socket.on('error', () => {});
    }),
  );

/** Plain `node:http`, the minimal server. */
const nodeHttp = () => listen(createHttpServer((_req, res) => res.end('Hello, World!')));

/** @type {Record<string, Record<string, () => Promise<Server>>>} */
const SERVERS = {
  echo: {
    'antpool/net': () => antpool('./echo-handler.mjs', 1),
    'antpool/net (2 thread loops)': () => antpool('./echo-handler.mjs', 2, 'threads'),
    'antpool/net (2 process loops)': () => antpool('./echo-handler.mjs', 2, 'processes'),
    'node:net': nodeEcho,
  },
  http: {
    'antpool/net': () => antpool('./http-handler.mjs', 1),
    'antpool/net (2 thread loops)': () => antpool('./http-handler.mjs', 2, 'threads'),
    'antpool/net (2 process loops)': () => antpool('./http-handler.mjs', 2, 'processes'),
    'node:http': nodeHttp,
  },
};

const { values } = parseArgs({
  options: { app: { type: 'string' }, contender: { type: 'string' } },
});
const app = values.app ?? '';
const contender = values.contender ?? '';
const serve = SERVERS[app]?.[contender];
if (serve === undefined) fail(`unknown --app ${app} or --contender ${contender}`);

let server;
try {
  server = await serve();
} catch (err) {
  fail(`${app}, ${contender}: ${err instanceof Error ? err.stack : err}`);
}
const line = { app, contender, port: server.port, pid: process.pid };
process.stdout.write(`${JSON.stringify(line)}\n`);
process.stdin.on('end', async () => {
  await server.close();
  process.exit(0);
});
process.stdin.resume();
