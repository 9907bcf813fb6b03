/**
 * The entry of an event loop process (several loops on Node 20): loads the handler module, then
 * serves the connections the primary hands over, reporting each one closed.
 */
import type { Socket } from 'node:net';
import { defaultLogger } from '../options.js';
import { codecFromSpec } from './codec.js';
import { EventLoop } from './event-loop.js';
import { loadHandler } from './handler-source.js';
import type { FromLoop, ToLoop } from './remote-loop.js';

const send = (message: FromLoop): void => {
  if (process.connected) process.send?.(message);
};
let loop: EventLoop | undefined;

process.on('disconnect', () => process.exit(0)); // the primary is gone

process.on('message', (message: ToLoop, handle: unknown) => {
  if (message.type === 'init') void init(message.handler, message.settings);
  else if (message.type === 'conn') loop?.accept(handle as Socket, message.local);
  else void loop?.stop().then(() => process.exit(0));
});

async function init(url: string, settings: Extract<ToLoop, { type: 'init' }>['settings']) {
  try {
    const handler = await loadHandler(url);
    const codec = codecFromSpec(settings.codec);
    loop = new EventLoop(
      handler,
      { ...settings, codec, logger: defaultLogger },
      () => send({ type: 'shutdown' }),
      () => send({ type: 'closed' }),
    );
  } catch (err) {
    send({ type: 'load-error', message: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  }
  send({ type: 'ready' });
}
