import type { Sample } from '../lib/measurement.js';
import {
  type Layout,
  type MedianScenarioResult,
  medianResultJson,
  metricColumn,
  renderMedians,
  summarizeMedians,
} from '../lib/medians.js';
import { type RatioWords, ratioPhrase } from '../lib/report.js';
import type { ThreadScenario, WorkName } from './scenarios.js';

/** Everything measured for one scenario. */
export type ThreadScenarioResult = MedianScenarioResult<ThreadScenario>;

/**
 * Medians per contender, in the scenario's contender order (`speedup` is the median of each
 * round's ratio), then every target checked and every note measured against them.
 */
export function summarize(
  scenario: ThreadScenario,
  samples: ReadonlyMap<string, readonly Sample[]>,
): ThreadScenarioResult {
  return summarizeMedians(scenario, samples);
}

const SLOWER: RatioWords = { more: 'slower', less: 'faster', name: 'time per task' };
const HIGHER: RatioWords = { more: 'higher', less: 'lower', name: 'latency' };

/** Tasks/s as "x slower/faster" than the baseline's. */
const throughput = (m: Sample, base: Sample): string =>
  ratioPhrase(base.tasksPerSec! / m.tasksPerSec!, SLOWER);

const TASKS = metricColumn('Tasks', 'tasks', 0);
const RSS = metricColumn('Peak RSS (MB)', 'rssMb');

const LAYOUTS: Record<WorkName, Layout> = {
  burst: {
    columns: [
      TASKS,
      metricColumn('Tasks/s', 'tasksPerSec', 0),
      metricColumn('Wall (ms)', 'wallMs'),
      RSS,
    ],
    versus: throughput,
  },
  latency: {
    columns: [TASKS, metricColumn('p50 (µs)', 'p50Us'), metricColumn('p99 (µs)', 'p99Us'), RSS],
    versus: (m, base) =>
      `p50 ${ratioPhrase(m.p50Us! / base.p50Us!, HIGHER)}, p99 ${ratioPhrase(m.p99Us! / base.p99Us!, HIGHER)}`,
  },
  cpu: {
    columns: [
      TASKS,
      metricColumn('Wall, 2 threads (ms)', 'wallMs'),
      metricColumn('Per task (ms)', 'msPerTask', 3),
      metricColumn('Wall, 1 thread (ms)', 'oneThreadWallMs'),
      {
        header: 'Speed-up, 2 threads vs 1',
        align: 'right',
        cell: (m) => `${m.speedup!.toFixed(2)}x`,
      },
    ],
    versus: (m, base) => ratioPhrase(m.msPerTask! / base.msPerTask!, SLOWER),
  },
  'event-loop': {
    columns: [
      TASKS,
      metricColumn('Wall (ms)', 'wallMs'),
      metricColumn('Loop delay p50 (ms)', 'eldP50Ms', 2),
      metricColumn('Loop delay p99 (ms)', 'eldP99Ms', 2),
      metricColumn('Loop delay max (ms)', 'eldMaxMs', 2),
    ],
    versus: (m, base) => `p99 ${ratioPhrase(m.eldP99Ms! / base.eldP99Ms!, HIGHER)}`,
  },
  skewed: {
    columns: [
      TASKS,
      metricColumn('Heavy tasks', 'heavyTasks', 0),
      metricColumn('Wall (ms)', 'wallMs'),
      RSS,
    ],
    versus: (m, base) => ratioPhrase(m.wallMs! / base.wallMs!, 'wallMs'),
  },
  memory: {
    columns: [
      TASKS,
      metricColumn('Tasks/s', 'tasksPerSec', 0),
      metricColumn('Wall (ms)', 'wallMs'),
      RSS,
    ],
    versus: (m, base) => `${throughput(m, base)}, ${ratioPhrase(m.rssMb! / base.rssMb!, 'rssMb')}`,
  },
  chaos: {
    columns: [
      TASKS,
      metricColumn('Resolved', 'resolved', 0),
      {
        header: 'Exited or aborted (as expected)',
        align: 'right',
        cell: (m) => String(m.tasks! - m.resolved!),
      },
      metricColumn('Tasks/s', 'tasksPerSec', 0),
      metricColumn('Wall (ms)', 'wallMs'),
      RSS,
    ],
    versus: (m, base) => `${throughput(m, base)}, ${ratioPhrase(m.rssMb! / base.rssMb!, 'rssMb')}`,
  },
  async: {
    columns: [
      TASKS,
      metricColumn('Wall (ms)', 'wallMs'),
      metricColumn('Per task (ms)', 'msPerTask', 3),
      RSS,
    ],
    versus: (m, base) => ratioPhrase(m.wallMs! / base.wallMs!, 'wallMs'),
  },
};

/**
 * A scenario's results as markdown: a table of medians per contender with the ratio to the
 * baseline, then every target with PASS or MISS, then every note as INFO.
 */
export function renderScenario(result: ThreadScenarioResult, heading: string): string {
  return renderMedians(result, heading, LAYOUTS[result.scenario.work]);
}

/** A scenario's results as plain JSON data. */
export function scenarioJson(result: ThreadScenarioResult) {
  const { scenario } = result;
  const { results, targets, notes } = medianResultJson(result);
  return {
    id: scenario.id,
    title: scenario.title,
    work: scenario.work,
    baseline: scenario.baseline,
    peers: scenario.peers,
    results,
    targets,
    notes,
  };
}
