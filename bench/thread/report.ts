import { type Column, markdownTable } from '../lib/markdown.js';
import type { Sample } from '../lib/measurement.js';
import { checkPeerTarget, formatPeerTarget, type PeerTargetResult } from '../lib/peers.js';
import { decimals, type RatioWords, ratioPhrase } from '../lib/report.js';
import { round } from '../lib/stats.js';
import { medianSample } from '../lib/suite.js';
import type { ThreadScenario, Watch, WorkName } from './scenarios.js';

/** A contender's samples over all rounds and their per-metric medians. */
export interface ThreadContenderResult {
  readonly contender: string;
  readonly samples: readonly Sample[];
  readonly median: Sample;
}

/** Everything measured for one scenario. */
export interface ThreadScenarioResult {
  readonly scenario: ThreadScenario;
  readonly results: readonly ThreadContenderResult[];
  readonly targets: readonly PeerTargetResult[];
}

/** Medians per contender, in the scenario's contender order, and every target checked. */
export function summarize(
  scenario: ThreadScenario,
  samples: ReadonlyMap<string, readonly Sample[]>,
): ThreadScenarioResult {
  const results = scenario.contenders.map((contender) => {
    const runs = samples.get(contender) ?? [];
    return { contender, samples: runs, median: medianSample(runs) };
  });
  const medians = new Map(results.map((r) => [r.contender, r.median]));
  const targets = scenario.targets.map((target) =>
    checkPeerTarget(target, medians, scenario.baseline, scenario.peers),
  );
  return { scenario, results, targets };
}

/** A table column filled from a contender's median sample. */
interface MetricColumn extends Column {
  readonly cell: (median: Sample) => string;
}

/** How a scenario's table reads: its columns, and the "vs antpool" cell from the two medians. */
interface Layout {
  readonly columns: readonly MetricColumn[];
  readonly versus: (median: Sample, base: Sample) => string;
}

const SLOWER: RatioWords = { more: 'slower', less: 'faster', name: 'time per task' };
const HIGHER: RatioWords = { more: 'higher', less: 'lower', name: 'latency' };

/** Metric `key` of a sample, with `digits` decimals. */
const num =
  (key: string, digits = 1) =>
  (m: Sample): string =>
    decimals(m[key]!, digits);

const right = (header: string, cell: (m: Sample) => string): MetricColumn => ({
  header,
  align: 'right',
  cell,
});

const TASKS = right('Tasks', num('tasks', 0));
const RSS = right('Peak RSS (MB)', num('rssMb'));

/** Speed-up of 2 threads over 1: time with 1 thread / time with 2. */
export const speedup = (m: Sample): number => m.oneThreadWallMs! / m.wallMs!;

const LAYOUTS: Record<WorkName, Layout> = {
  burst: {
    columns: [
      TASKS,
      right('Tasks/s', num('tasksPerSec', 0)),
      right('Wall (ms)', num('wallMs')),
      RSS,
    ],
    versus: (m, base) => ratioPhrase(base.tasksPerSec! / m.tasksPerSec!, SLOWER),
  },
  latency: {
    columns: [TASKS, right('p50 (µs)', num('p50Us')), right('p99 (µs)', num('p99Us')), RSS],
    versus: (m, base) =>
      `p50 ${ratioPhrase(m.p50Us! / base.p50Us!, HIGHER)}, p99 ${ratioPhrase(m.p99Us! / base.p99Us!, HIGHER)}`,
  },
  cpu: {
    columns: [
      TASKS,
      right('Wall, 2 threads (ms)', num('wallMs')),
      right('Per task (ms)', num('msPerTask', 3)),
      right('Wall, 1 thread (ms)', num('oneThreadWallMs')),
      right('Speed-up, 2 threads vs 1', (m) => `${speedup(m).toFixed(2)}x`),
    ],
    versus: (m, base) => ratioPhrase(m.msPerTask! / base.msPerTask!, SLOWER),
  },
  'event-loop': {
    columns: [
      TASKS,
      right('Wall (ms)', num('wallMs')),
      right('Loop delay p50 (ms)', num('eldP50Ms', 2)),
      right('Loop delay p99 (ms)', num('eldP99Ms', 2)),
      right('Loop delay max (ms)', num('eldMaxMs', 2)),
    ],
    versus: (m, base) => `p99 ${ratioPhrase(m.eldP99Ms! / base.eldP99Ms!, HIGHER)}`,
  },
};

/** The watched figure as an INFO bullet: it is reported, not judged. */
function formatWatch(watch: Watch, baseline: string, value: number): string {
  const reached = value >= watch.goal ? 'reached' : 'not reached yet';
  return (
    `- INFO: ${baseline} ${decimals(value, 0)} ${watch.unit}; ${watch.label} ` +
    `>= ${decimals(watch.goal, 0)} ${watch.unit} (${reached})`
  );
}

/**
 * A scenario's results as markdown: a table of medians per contender with the ratio to the
 * baseline, then every target with PASS or MISS, then the watched figure.
 */
export function renderScenario(
  { scenario, results, targets }: ThreadScenarioResult,
  heading: string,
): string {
  const { baseline, watch } = scenario;
  const layout = LAYOUTS[scenario.work];
  const base = results.find((r) => r.contender === baseline)!.median;
  const rows = results.map(({ contender, median }) => [
    contender,
    ...layout.columns.map((column) => column.cell(median)),
    contender === baseline ? 'baseline' : layout.versus(median, base),
  ]);
  const table = markdownTable(
    [{ header: 'Contender' }, ...layout.columns, { header: `vs ${baseline}` }],
    rows,
  );
  const lines = targets.map((t) => formatPeerTarget(t, baseline));
  if (watch !== undefined) lines.push(formatWatch(watch, baseline, base[watch.metric]!));
  return [heading, '', table, ...(lines.length > 0 ? ['', ...lines] : [])].join('\n');
}

/** Every metric of a sample rounded (3 decimals: latencies in ms and ratios need them). */
const rounded = (m: Sample): Sample =>
  Object.fromEntries(Object.entries(m).map(([key, value]) => [key, round(value, 3)]));

/** A scenario's results as plain JSON data. */
export function scenarioJson({ scenario, results, targets }: ThreadScenarioResult) {
  return {
    id: scenario.id,
    title: scenario.title,
    work: scenario.work,
    baseline: scenario.baseline,
    peers: scenario.peers,
    results: results.map(({ contender, median, samples }) => ({
      contender,
      median: rounded(scenario.oneThreadToo ? { ...median, speedup: speedup(median) } : median),
      samples: samples.map(rounded),
    })),
    targets: targets.map(({ target, value, best, limit, met }) => ({
      label: target.label,
      metric: target.metric,
      better: target.better,
      value: round(value, 3),
      best: { contender: best.contender, value: round(best.value, 3) },
      limit: round(limit, 3),
      met,
    })),
  };
}
