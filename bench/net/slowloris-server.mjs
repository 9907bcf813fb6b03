/**
 * The slow-loris scenario's server, in a fresh process: antpool/net's echo handler on one event
 * loop, with no `idleTimeout` (the engine's default). Run with `--expose-gc` and an IPC channel;
 * sends `{ port }` once listening and answers `'memory'` with `{ rss, heap }` in bytes, read
 * after a full collection so that only what is still held counts. Exits when the channel closes.
 *
 * Plain JavaScript with no loader, as `server.mjs`, for the same reasons.
 */
import { fail, refuseLoader } from '../lib/child.mjs';

refuseLoader();
if (typeof globalThis.gc !== 'function' || process.send === undefined) {
  fail('run me with --expose-gc and an IPC channel');
}

const { start } = await import('../../dist/net/index.js');
const engine = await start(new URL('./echo-handler.mjs', import.meta.url), 'tcp://127.0.0.1:0');
process.on('message', (message) => {
  if (message !== 'memory') return;
  globalThis.gc();
  const { rss, heapUsed, external } = process.memoryUsage();
  process.send({ rss, heap: heapUsed + external, connections: engine.countConnections() });
});
process.on('disconnect', async () => {
  await engine.stop();
  process.exit(0);
});
process.send({ port: Number(new URL(engine.addrs[0]).port) });
