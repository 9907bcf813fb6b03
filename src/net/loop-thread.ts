/**
 * The entry of an event loop thread (`loops: 'threads'`): listens beside loop 0 with
 * `reusePort` and serves what the kernel gives it, keeping its connection count in the Int32
 * loop 0 reads. An uncaught error ends the thread; loop 0 hears of it from the Worker.
 */
import { parentPort } from 'node:worker_threads';
import { serializeError } from '../thread/error-codec.js';
import { type ServedLoop, serveLoop } from './loop-entry.js';
import type { FromLoop, ToLoop } from './loop-messages.js';

const port = parentPort!;
const send = (message: FromLoop): void => port.postMessage(message);
let served: Promise<ServedLoop | undefined> = Promise.resolve(undefined);

port.on('message', (message: ToLoop) => {
  if (message.type === 'init') {
    const count = new Int32Array(message.counter!);
    const counted = (connections: number) => Atomics.store(count, 0, connections);
    const refused = (refusals: number) => Atomics.store(count, 1, refusals);
    served = serveLoop(message, { send, counted, refused }).catch((err: unknown) => {
      send({ type: 'load-error', error: serializeError(err) }); // delivered before the exit
      process.exit(1);
    });
  } else if (message.type === 'stop') {
    void served.then((ready) => ready?.stop()).then(() => process.exit(0));
  }
});
