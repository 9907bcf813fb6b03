import { invalid } from '../internal/validate.js';
import type { Logger } from '../options.js';
import type { Codec } from './codec.js';

/** Options of the connections an event loop serves: shared by the engine and the client. */
export interface ConnOptions {
  /** Calls `onTick` at once (an engine: right after `onBoot`), then after each delay it returns. */
  ticker?: boolean;
  /** TCP keep-alive initial delay, in ms. */
  tcpKeepAlive?: number;
  /** @default true */
  tcpNoDelay?: boolean;
  /** Unconsumed inbound bytes above which reading pauses. @default no limit */
  readBufferCap?: number;
  /** Queued outbound bytes above which reading pauses until they drain. @default 1 MiB */
  writeBufferCap?: number;
  /**
   * ms without an inbound byte after which a stream connection is closed, with `ConnIdleError`
   * (`ERR_CONN_IDLE`) as `onClose`'s `err`; what it queued is flushed first. Counted from
   * `onOpen` (after a TLS handshake). A peer that trickles one byte at a time stays only if
   * its bytes come closer together than this. UDP is never idle. 0: never.
   * @default 0
   */
  idleTimeout?: number;
  /** Frames for `conn.readFrame()` and `conn.writeFrame()`; with several loops, a built-in one. */
  codec?: Codec;
  /**
   * Where handler errors, loop crashes and throttled notices (refusals, failed handshakes) go.
   * @default console, prefixed `[antpool/net]`
   */
  logger?: Logger;
}

/** setTimeout's largest delay: beyond it Node fires after 1 ms. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * @throws InvalidArgumentError `ERR_INVALID_OPTION` for an option of {@link ConnOptions} of the
 *   wrong kind or out of range, or options that are not an object.
 */
export function checkConnOptions(options: ConnOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw invalid('ERR_INVALID_OPTION', 'options', 'an object', options);
  }
  for (const flag of ['ticker', 'tcpNoDelay'] as const) checkFlag(options, flag);
  for (const cap of ['readBufferCap', 'writeBufferCap'] as const) {
    const value = options[cap];
    if (value !== undefined && !(typeof value === 'number' && value > 0)) {
      throw invalid('ERR_INVALID_OPTION', cap, 'a positive number of bytes', value);
    }
  }
  const { tcpKeepAlive, idleTimeout, codec, logger } = options;
  if (tcpKeepAlive !== undefined && !(Number.isFinite(tcpKeepAlive) && tcpKeepAlive >= 0)) {
    throw invalid('ERR_INVALID_OPTION', 'tcpKeepAlive', 'a finite number of ms >= 0', tcpKeepAlive);
  }
  if (
    idleTimeout !== undefined &&
    !(typeof idleTimeout === 'number' && idleTimeout >= 0 && idleTimeout <= MAX_TIMEOUT_MS)
  ) {
    throw invalid(
      'ERR_INVALID_OPTION',
      'idleTimeout',
      `a number of ms in [0, 2^31 - 1]`,
      idleTimeout,
    );
  }
  if (
    codec !== undefined &&
    !(typeof codec?.encode === 'function' && typeof codec.decode === 'function')
  ) {
    throw invalid('ERR_INVALID_OPTION', 'codec', 'an object with encode and decode', codec);
  }
  if (logger !== undefined && typeof logger?.error !== 'function') {
    throw invalid('ERR_INVALID_OPTION', 'logger', 'an object with an error method', logger);
  }
}

/** @throws InvalidArgumentError `ERR_INVALID_OPTION` unless `options[flag]` is a boolean or unset. */
export function checkFlag<O extends object>(options: O, flag: keyof O & string): void {
  const value = options[flag];
  if (value !== undefined && typeof value !== 'boolean') {
    throw invalid('ERR_INVALID_OPTION', flag, 'a boolean', value);
  }
}

/** @throws InvalidArgumentError `ERR_INVALID_OPTION` unless `tls` is an object or unset. */
export function checkTls(tls: unknown): void {
  if (tls !== undefined && (typeof tls !== 'object' || tls === null)) {
    throw invalid('ERR_INVALID_OPTION', 'tls', 'an object of node:tls options', tls);
  }
}
