import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The largest nice value, the lowest priority: also the largest increment worth asking for. */
export const LOWEST_PRIORITY = 19;

/**
 * Lowers the calling thread's scheduling priority by `increment` nice steps, so that on a busy
 * machine the main thread's event loop gets a core first. Only Linux gives threads their own nice
 * value: elsewhere `os.setPriority` would reach the whole process, so this does nothing.
 */
export function lowerThreadPriority(increment: number): void {
  if (increment === 0 || process.platform !== 'linux') return;
  try {
    // On Linux setpriority() given a thread id acts on that one thread; /proc names this one.
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    setPriority(tid, Math.min(LOWEST_PRIORITY, getPriority(tid) + increment));
  } catch {
    // A priority is a hint: without /proc (some sandboxes) the thread runs at the process' own.
  }
}
