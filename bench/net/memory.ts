import { readdirSync, readFileSync } from 'node:fs';

/** How often the server's memory is read while it is under load. */
const SAMPLE_MS = 100;

/**
 * `pid` and every process below it (a server's loop processes), from Linux's `/proc`; threads
 * are not processes and are counted in their process' RSS.
 */
function processTree(pid: number): number[] {
  const tree = [pid];
  for (let at = 0; at < tree.length; at++) {
    const tasks = `/proc/${tree[at]}/task`;
    let children = '';
    try {
      // Each thread lists the children it forked.
      for (const task of readdirSync(tasks)) {
        children += ` ${readFileSync(`${tasks}/${task}/children`, 'utf8')}`;
      }
    } catch {
      continue; // it exited meanwhile
    }
    for (const child of children.trim().split(/\s+/)) if (child !== '') tree.push(Number(child));
  }
  return tree;
}

/** A process' resident set in bytes (VmRSS), 0 once it has exited. */
function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    return kib === undefined ? 0 : Number(kib) * 1024;
  } catch {
    return 0;
  }
}

/** The RSS of `pid` and of every process below it, summed, in bytes; undefined off Linux. */
export function treeRss(pid: number): number | undefined {
  try {
    readFileSync(`/proc/${pid}/status`);
  } catch {
    return undefined;
  }
  let bytes = 0;
  for (const member of processTree(pid)) bytes += rssOf(member);
  return bytes;
}

/** The server's memory in MB (10^6 bytes): before the load, and its peak under it. */
export interface ServerRss {
  readonly idleMb: number;
  readonly peakMb: number;
}

/**
 * Runs `load` while reading the server's memory (process `pid` and its children, summed) every
 * {@link SAMPLE_MS} ms; resolves with the load's result and the memory, undefined where `/proc`
 * is missing.
 */
export async function withServerRss<T>(
  pid: number,
  load: () => Promise<T>,
): Promise<{ result: T; rss: ServerRss | undefined }> {
  const idle = treeRss(pid);
  let peak = idle;
  const sample = () => {
    const now = treeRss(pid);
    if (now !== undefined) peak = Math.max(peak ?? 0, now);
  };
  const timer = setInterval(sample, SAMPLE_MS);
  try {
    const result = await load();
    sample();
    if (idle === undefined || peak === undefined) return { result, rss: undefined };
    return { result, rss: { idleMb: idle / 1e6, peakMb: peak / 1e6 } };
  } finally {
    clearInterval(timer);
  }
}
