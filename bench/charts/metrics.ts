// How a metric of a bench results file reads on a chart. The suites write their medians under
// names of their own (bench/*/index.ts); known names get a label and a direction, and any other
// name still gets a readable label from its spelling, so a new metric or scenario needs no change
// here to be drawn.

/** A metric as a chart shows it. */
export interface MetricInfo {
  readonly label: string;
  /** Which way is better; undefined when neither is (a count, a setting). */
  readonly better?: 'higher' | 'lower';
}

const KNOWN: Record<string, MetricInfo> = {
  tasksPerSec: { label: 'tasks/s', better: 'higher' },
  jobsPerSec: { label: 'jobs/s', better: 'higher' },
  msgPerSec: { label: 'messages/s', better: 'higher' },
  mbPerSec: { label: 'MB/s', better: 'higher' },
  reqPerSec: { label: 'requests/s', better: 'higher' },
  speedup: { label: 'speed-up over 1 thread (x)', better: 'higher' },
  wallMs: { label: 'wall time (ms)', better: 'lower' },
  oneThreadWallMs: { label: 'wall time, 1 thread (ms)', better: 'lower' },
  msPerTask: { label: 'ms per task', better: 'lower' },
  p50Us: { label: 'latency p50 (µs)', better: 'lower' },
  p99Us: { label: 'latency p99 (µs)', better: 'lower' },
  p50Ms: { label: 'latency p50 (ms)', better: 'lower' },
  p99Ms: { label: 'latency p99 (ms)', better: 'lower' },
  eldP50Ms: { label: 'event-loop delay p50 (ms)', better: 'lower' },
  eldP99Ms: { label: 'event-loop delay p99 (ms)', better: 'lower' },
  eldMaxMs: { label: 'event-loop delay max (ms)', better: 'lower' },
  rssMb: { label: 'peak RSS (MB)', better: 'lower' },
  idleRssMb: { label: 'idle RSS (MB)', better: 'lower' },
};

/**
 * Metrics the tables show but a bar chart would only clutter: counts (the same for almost every
 * contender) and the load generator's CPU use.
 */
const SKIPPED = new Set(['tasks', 'heavyTasks', 'jobs', 'timeouts', 'loadCpu', 'machineCpu']);

/** The metric that a scenario's ratio panel compares, first found first. */
const HEADLINE = [
  'tasksPerSec',
  'jobsPerSec',
  'reqPerSec',
  'mbPerSec',
  'msgPerSec',
  'eldP99Ms',
  'p50Us',
  'p50Ms',
  'wallMs',
];

/** Whether a metric gets a panel of its own. */
export function charted(name: string): boolean {
  return !SKIPPED.has(name);
}

/** `name`'s label and direction: known, or read from its spelling (`fooPerSec` -> "foo/s"). */
export function metricInfo(name: string): MetricInfo {
  const known = KNOWN[name];
  if (known !== undefined) return known;
  const units: [RegExp, string][] = [
    [/PerSec$/, '/s'],
    [/Ms$/, ' (ms)'],
    [/Us$/, ' (µs)'],
    [/Mb$/, ' (MB)'],
  ];
  for (const [suffix, unit] of units) {
    if (suffix.test(name)) return { label: `${words(name.replace(suffix, ''))}${unit}` };
  }
  return { label: words(name) };
}

/** The metric the ratio panel uses among `names`: a headline one, else the first. */
export function headline(names: readonly string[]): string | undefined {
  return HEADLINE.find((name) => names.includes(name)) ?? names[0];
}

function words(camel: string): string {
  return camel.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}
