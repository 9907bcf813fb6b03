import { readFileSync } from 'node:fs';

/**
 * Clock ticks per second of the times in `/proc` (`getconf CLK_TCK`): 100 on every Linux
 * architecture Node supports.
 */
const TICKS_PER_SECOND = 100;

/** CPU counters at one instant, in clock ticks, from Linux's `/proc`. */
export interface CpuCounters {
  /** Every core's busy time (all but idle and iowait). */
  readonly machineBusy: number;
  /** Every core's time, busy or not. */
  readonly machineTotal: number;
  /** User and system time of this process' children that exited and were waited for. */
  readonly children: number;
}

/** Where the CPU went between two {@link CpuCounters}. */
export interface CpuUse {
  /** The children that exited in between: their CPU time over the wall time, in % of one core. */
  readonly childCpu: number;
  /** How busy the machine was, in % of all its cores. */
  readonly machineCpu: number;
}

const numbers = (fields: readonly string[]): number[] => fields.map(Number);

/** The counters now, or undefined where `/proc` is missing (not Linux). */
export function cpuCounters(): CpuCounters | undefined {
  let stat: string;
  let self: string;
  try {
    stat = readFileSync('/proc/stat', 'utf8');
    self = readFileSync('/proc/self/stat', 'utf8');
  } catch {
    return undefined;
  }
  // "cpu  user nice system idle iowait irq softirq steal guest guest_nice": guest is in user.
  const times = numbers(stat.split('\n', 1)[0]!.trim().split(/\s+/).slice(1, 9));
  const total = times.reduce((sum, ticks) => sum + ticks, 0);
  // After "pid (comm) ": state is field 3, cutime and cstime fields 16 and 17.
  const fields = self.slice(self.lastIndexOf(')') + 2).split(' ');
  const [cutime, cstime] = numbers(fields.slice(13, 15));
  return {
    machineBusy: total - times[3]! - times[4]!,
    machineTotal: total,
    children: cutime! + cstime!,
  };
}

/** The CPU used between `before` and `after`, `wallMs` apart. */
export function cpuBetween(before: CpuCounters, after: CpuCounters, wallMs: number): CpuUse {
  const childMs = ((after.children - before.children) * 1000) / TICKS_PER_SECOND;
  const total = after.machineTotal - before.machineTotal;
  const busy = after.machineBusy - before.machineBusy;
  return {
    childCpu: (100 * childMs) / wallMs,
    machineCpu: total > 0 ? (100 * busy) / total : 0,
  };
}

/**
 * Runs `run` (which starts a child and resolves once it exited) and measures the CPU that
 * child used, and the machine's, meanwhile; `cpu` is undefined where `/proc` is missing.
 */
export async function measureCpu<T>(run: () => Promise<T>): Promise<{ result: T; cpu?: CpuUse }> {
  const before = cpuCounters();
  const started = performance.now();
  const result = await run();
  const after = cpuCounters();
  if (before === undefined || after === undefined) return { result };
  return { result, cpu: cpuBetween(before, after, performance.now() - started) };
}
