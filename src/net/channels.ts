import { type Channel, channel } from 'node:diagnostics_channel';
import type { Conn } from './handler.js';

/** What `antpool:net:open` and `antpool:net:close` carry. */
export interface ConnChannelMessage {
  /** The connection that opened or closed. */
  conn: Conn;
  /** Why the connection closed (as `onClose` gets it); `null` on open and on a clean close. */
  err: Error | null;
}

/**
 * `antpool:net:open`: a stream connection was accepted, published just before `onOpen`, in the
 * thread or process that runs its event loop.
 */
export const openChannel: Channel = channel('antpool:net:open');

/** `antpool:net:close`: a stream connection closed, published just after `onClose`. */
export const closeChannel: Channel = channel('antpool:net:close');
