import { InvalidArgumentError } from '../errors.js';
import { invalid } from '../internal/validate.js';
import type { Address } from './address.js';

/**
 * How an engine's loops after loop 0 run. `'threads'`: worker threads of this process, each
 * listening on the same port with `reusePort`, the kernel spreading connections. `'processes'`:
 * child processes, loop 0 accepting every connection and handing it to the loop `lb` picks.
 * @inline
 */
export type LoopModel = 'threads' | 'processes';

/** The `loops` option: a model, or `'auto'` to take threads where they work. */
export type LoopsOption = 'auto' | LoopModel;

const OPTIONS: readonly unknown[] = ['auto', 'threads', 'processes'];

/** Why loop threads cannot share a port here, or undefined where they can. */
export function threadsUnsupported(): string | undefined {
  if (process.platform !== 'linux') return `Linux (this is ${process.platform})`;
  if (!nodeHasReusePort()) return `Node >= 22.12 (this is ${process.version})`;
  return undefined;
}

/** net's and dgram's `reusePort` arrived in Node 22.12 and 23.1. */
export function nodeHasReusePort(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
}

/**
 * The model the `loops` option asks for: `'auto'` (the default) is threads unless the platform
 * lacks them, an `lb` was passed or an address is a Unix socket (it has no port to share).
 * Checked whatever the loop count, so a setting fails on the first run that cannot honour it.
 * @throws InvalidArgumentError `ERR_INVALID_OPTION` for an unknown value, or `'threads'` with
 *   an `lb`, a Unix socket or a platform without `reusePort`.
 */
export function loopModel(option: unknown, lb: unknown, addresses: readonly Address[]): LoopModel {
  if (option !== undefined && !OPTIONS.includes(option)) {
    throw invalid('ERR_INVALID_OPTION', 'loops', "'auto', 'threads' or 'processes'", option);
  }
  if (option === 'processes') return 'processes';
  const unsupported = threadsUnsupported();
  const unix = addresses.some((address) => address.network === 'unix');
  if (option === 'threads') {
    if (unsupported !== undefined) throw notThreads(`needs ${unsupported}`);
    if (lb !== undefined) throw notThreads('takes no `lb`: the kernel spreads connections');
    if (unix) throw notThreads("cannot share a Unix socket (it has no port): use 'processes'");
    return 'threads';
  }
  return unsupported === undefined && lb === undefined && !unix ? 'threads' : 'processes';
}

function notThreads(why: string): InvalidArgumentError {
  return new InvalidArgumentError('ERR_INVALID_OPTION', `\`loops: 'threads'\` ${why}`);
}
