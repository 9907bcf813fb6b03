/**
 * The entry of an event loop process (`loops: 'processes'`): serves the connections loop 0
 * hands over, reporting each one closed. What fails, at load or later (an uncaught error), is
 * sent to loop 0 before the process exits.
 */
import type { Socket } from 'node:net';
import { serializeError } from '../thread/error-codec.js';
import { type ServedLoop, serveLoop } from './loop-entry.js';
import type { FromLoop, ToLoop } from './loop-messages.js';

const send = (message: FromLoop, sent?: () => void): void => {
  if (process.connected) process.send?.(message, undefined, undefined, sent);
  else sent?.();
};
const exit = (code: number) => () => process.exit(code);
let served: Promise<ServedLoop | undefined> = Promise.resolve(undefined);
let loop: ServedLoop | undefined;

process.on('disconnect', exit(0)); // loop 0 is gone
process.on('uncaughtException', (err) => {
  send({ type: 'crash', error: serializeError(err) }, exit(1));
});

process.on('message', (message: ToLoop, handle: unknown) => {
  if (message.type === 'init') {
    const counted = (_connections: number, opened: boolean) => {
      if (!opened) send({ type: 'closed' });
    };
    served = serveLoop(message, { send, counted }).then(
      (ready) => (loop = ready),
      (err: unknown) => {
        send({ type: 'load-error', error: serializeError(err) }, exit(1));
        return undefined;
      },
    );
  } else if (message.type === 'conn') loop?.accept(handle as Socket, message.local);
  else void served.then((ready) => ready?.stop()).then(exit(0));
});
