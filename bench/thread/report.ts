import { type Column, markdownTable } from '../lib/markdown.js';
import type { Sample } from '../lib/measurement.js';
import {
  formatRatioNote,
  measureRatioNote,
  type RatioNoteResult,
  ratioNoteJson,
} from '../lib/ratio-note.js';
import { decimals, type RatioWords, ratioPhrase } from '../lib/report.js';
import { round } from '../lib/stats.js';
import { medianSample } from '../lib/suite.js';
import {
  checkMedianTarget,
  formatMedianTarget,
  type MedianTargetResult,
  medianTargetJson,
} from '../lib/targets.js';
import type { ThreadScenario, WorkName } from './scenarios.js';

/** A contender's samples over all rounds and their per-metric medians. */
export interface ThreadContenderResult {
  readonly contender: string;
  readonly samples: readonly Sample[];
  /** Per-metric medians, plus `speedup` where the scenario also runs 1 thread. */
  readonly median: Sample;
}

/** Everything measured for one scenario. */
export interface ThreadScenarioResult {
  readonly scenario: ThreadScenario;
  readonly results: readonly ThreadContenderResult[];
  readonly targets: readonly MedianTargetResult[];
  readonly notes: readonly RatioNoteResult[];
}

/** `median` plus `speedup`, 2 threads over 1: median wall time with 1 thread / with 2. */
const withSpeedup = (median: Sample): Sample => ({
  ...median,
  speedup: median.oneThreadWallMs! / median.wallMs!,
});

/**
 * Medians per contender, in the scenario's contender order, then every target checked and
 * every note measured against them.
 */
export function summarize(
  scenario: ThreadScenario,
  samples: ReadonlyMap<string, readonly Sample[]>,
): ThreadScenarioResult {
  const { baseline, peers, oneThreadToo } = scenario;
  const results = scenario.contenders.map((contender) => {
    const runs = samples.get(contender) ?? [];
    const median = medianSample(runs);
    return { contender, samples: runs, median: oneThreadToo ? withSpeedup(median) : median };
  });
  const medians = new Map(results.map((r) => [r.contender, r.median]));
  const targets = scenario.targets.map((t) => checkMedianTarget(t, medians, baseline, peers));
  const notes = (scenario.notes ?? []).map((n) => measureRatioNote(n, medians, baseline));
  return { scenario, results, targets, notes };
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

/** Tasks/s as "x slower/faster" than the baseline's. */
const throughput = (m: Sample, base: Sample): string =>
  ratioPhrase(base.tasksPerSec! / m.tasksPerSec!, SLOWER);

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

const LAYOUTS: Record<WorkName, Layout> = {
  burst: {
    columns: [
      TASKS,
      right('Tasks/s', num('tasksPerSec', 0)),
      right('Wall (ms)', num('wallMs')),
      RSS,
    ],
    versus: throughput,
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
      right('Speed-up, 2 threads vs 1', (m) => `${m.speedup!.toFixed(2)}x`),
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
  skewed: {
    columns: [
      TASKS,
      right('Heavy tasks', num('heavyTasks', 0)),
      right('Wall (ms)', num('wallMs')),
      RSS,
    ],
    versus: (m, base) => ratioPhrase(m.wallMs! / base.wallMs!, 'wallMs'),
  },
  memory: {
    columns: [
      TASKS,
      right('Tasks/s', num('tasksPerSec', 0)),
      right('Wall (ms)', num('wallMs')),
      RSS,
    ],
    versus: (m, base) => `${throughput(m, base)}, ${ratioPhrase(m.rssMb! / base.rssMb!, 'rssMb')}`,
  },
};

/**
 * A scenario's results as markdown: a table of medians per contender with the ratio to the
 * baseline, then every target with PASS or MISS, then every note as INFO.
 */
export function renderScenario(
  { scenario, results, targets, notes }: ThreadScenarioResult,
  heading: string,
): string {
  const { baseline } = scenario;
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
  const lines = [
    ...targets.map((t) => formatMedianTarget(t, baseline)),
    ...notes.map((n) => formatRatioNote(n, baseline)),
  ];
  return [heading, '', table, ...(lines.length > 0 ? ['', ...lines] : [])].join('\n');
}

/** Every metric of a sample rounded (3 decimals: latencies in ms and ratios need them). */
const rounded = (m: Sample): Sample =>
  Object.fromEntries(Object.entries(m).map(([key, value]) => [key, round(value, 3)]));

/** A scenario's results as plain JSON data. */
export function scenarioJson({ scenario, results, targets, notes }: ThreadScenarioResult) {
  return {
    id: scenario.id,
    title: scenario.title,
    work: scenario.work,
    baseline: scenario.baseline,
    peers: scenario.peers,
    results: results.map(({ contender, median, samples }) => ({
      contender,
      median: rounded(median),
      samples: samples.map(rounded),
    })),
    targets: targets.map(medianTargetJson),
    notes: notes.map(ratioNoteJson),
  };
}
