/**
 * What runs in a loop process and in a loop thread alike: the handler module imported again, its
 * codec rebuilt, one event loop whose logs and `Action.Shutdown` go to loop 0, and (a thread)
 * its own listeners. `loop-process.ts` and `loop-thread.ts` only carry the messages.
 */
import type { Socket } from 'node:net';
import type { Logger } from '../options.js';
import { serializeError } from '../thread/error-codec.js';
import { codecFromSpec } from './codec.js';
import { EventLoop, type LoopEvents } from './event-loop.js';
import { loadHandler } from './handler-source.js';
import { type Listener, listen } from './listeners.js';
import type { FromLoop, InitMessage } from './loop-messages.js';

/** How a remote loop reaches loop 0: its half of the channel. */
export interface Uplink {
  send(message: FromLoop): void;
  /** Hears each connection opened or closed (a thread counts, a process reports closes). */
  counted(connections: number, opened: boolean): void;
  /** Hears each refusal, with the loop's running total (a thread keeps it for loop 0). */
  refused?(refused: number): void;
}

/** A loop serving: what the entry does on `conn` and `stop`. */
export interface ServedLoop {
  /** A socket handed over by loop 0 (processes). */
  accept(socket: Socket, local: string): void;
  /** Stops listening and closes every connection as `close()` does. */
  stop(): Promise<void>;
}

/**
 * Loads the handler, builds the loop and, when `init` says so, listens; then sends `ready`.
 * Rejects with what failed (the entry sends it as `load-error`, then exits).
 */
export async function serveLoop(init: InitMessage, uplink: Uplink): Promise<ServedLoop> {
  const logger = forwardingLogger(uplink);
  const listeners: Listener[] = [];
  try {
    const handler = await loadHandler(init.handler);
    const settings = { ...init.settings, codec: codecFromSpec(init.settings.codec), logger };
    const events: LoopEvents = {
      shutdown: () => uplink.send({ type: 'shutdown' }),
      counted: uplink.counted,
      refused: uplink.refused,
    };
    const loop = new EventLoop(handler, settings, events);
    const arrivals = {
      connection: (socket: Socket, local: string) => loop.accept(socket, local),
      datagram: loop.datagram.bind(loop),
    };
    const spec = init.listen;
    for (const address of spec?.addresses ?? []) {
      const options = { tcpNoDelay: spec!.tcpNoDelay, reuseAddr: spec!.reuseAddr, reusePort: true };
      listeners.push(await listen(address, { ...options, logger }, arrivals));
    }
    uplink.send({ type: 'ready' });
    return {
      accept: (socket, local) => loop.accept(socket, local),
      stop: async () => {
        await Promise.all([...listeners.map((listener) => listener.close()), loop.stop()]);
      },
    };
  } catch (err) {
    await Promise.all(listeners.map((listener) => listener.close()));
    throw err;
  }
}

/** A logger whose lines go to loop 0's logger; what structured clone cannot take goes as text. */
function forwardingLogger(uplink: Uplink): Logger {
  return {
    error: (message, ...args) =>
      uplink.send({ type: 'log', message, args: args.map(serializeError) }),
  };
}
