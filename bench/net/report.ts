import type { Sample } from '../lib/measurement.js';
import {
  type Layout,
  type MedianScenarioResult,
  medianResultJson,
  metricColumn,
  renderMedians,
} from '../lib/medians.js';
import { ANTPOOL_PROCESSES, ANTPOOL_THREADS, type NetScenario } from './scenarios.js';

/** Everything measured for one scenario. */
export type NetScenarioResult = MedianScenarioResult<NetScenario>;

/** A contender's median of `metric` over the reference's, as "0.93x". */
const ratio =
  (metric: string) =>
  (median: Sample, reference: Sample): string =>
    `${(median[metric]! / reference[metric]!).toFixed(2)}x`;

/**
 * CPU columns: the load generator's, and the whole machine's (the server's is the rest); then
 * the server's memory.
 */
const cpuColumns = (load: string) => [
  metricColumn(`${load} CPU (% of 1 core)`, 'loadCpu', 0),
  metricColumn('Machine busy (% of all cores)', 'machineCpu', 0),
  metricColumn('Server RSS idle (MB)', 'idleRssMb', 0),
  metricColumn('Server RSS peak (MB)', 'rssMb', 0),
];

/** Each app's throughput metric, and its unit. */
const THROUGHPUT: Readonly<Record<NetScenario['app'], { metric: string; unit: string }>> = {
  echo: { metric: 'mbPerSec', unit: 'MB/s' },
  http: { metric: 'reqPerSec', unit: 'req/s' },
  redis: { metric: 'getRps', unit: 'req/s' },
  slowloris: { metric: 'lorisMbPerSec', unit: 'MB/s' },
};

const REDIS_METRICS = ['pingRps', 'setRps', 'getRps'];

const LAYOUTS: Readonly<Record<NetScenario['app'], Omit<Layout, 'reference'>>> = {
  echo: {
    columns: [
      metricColumn('MB/s', 'mbPerSec'),
      metricColumn('Messages/s', 'msgPerSec', 0),
      ...cpuColumns('Client'),
    ],
    versus: ratio('mbPerSec'),
  },
  http: {
    columns: [
      metricColumn('Requests/s', 'reqPerSec', 0),
      metricColumn('Timeouts (wrk)', 'timeouts', 0),
      ...cpuColumns('wrk'),
    ],
    versus: ratio('reqPerSec'),
  },
  redis: {
    columns: [
      metricColumn('PING_MBULK req/s', 'pingRps', 0),
      metricColumn('SET req/s', 'setRps', 0),
      metricColumn('GET req/s', 'getRps', 0),
      ...cpuColumns('redis-benchmark'),
    ],
    // The three tests' ratios, in the columns' order.
    versus: (median, reference) =>
      REDIS_METRICS.map((metric) => ratio(metric)(median, reference)).join(' / '),
  },
  slowloris: {
    columns: [
      metricColumn('Echo MB/s without them', 'quietMbPerSec'),
      metricColumn('Echo MB/s with them', 'lorisMbPerSec'),
      metricColumn('With / without', 'echoRatio', 2),
      metricColumn('Server RSS with them (MB)', 'rssMb', 0),
      metricColumn('RSS they add (MB)', 'rssDeltaMb', 1),
      metricColumn('Heap they add (MB)', 'heapDeltaMb', 1),
    ],
    versus: ratio('lorisMbPerSec'),
  },
};

/**
 * A scenario's results as markdown: a table of medians per contender with the ratio to the
 * plain Node server, then every target with PASS or MISS, then every note as INFO.
 */
export function renderScenario(result: NetScenarioResult, heading: string): string {
  const { app, reference } = result.scenario;
  const lines = loopTargets(result).map(
    ({ label, met, detail }) => `- ${met ? 'PASS' : 'MISS'}: ${label} (${detail})`,
  );
  return [renderMedians(result, heading, { ...LAYOUTS[app], reference }), ...lines].join('\n');
}

/** One of issue 12's targets for thread loops, checked. */
interface LoopTarget {
  readonly label: string;
  readonly met: boolean;
  readonly detail: string;
}

/**
 * Issue 12's targets, where both models ran: 2 thread loops use less memory than 2 process
 * loops, and are at least as fast.
 */
export function loopTargets({ scenario, results }: NetScenarioResult): LoopTarget[] {
  const threads = results.find((r) => r.contender === ANTPOOL_THREADS)?.median;
  const processes = results.find((r) => r.contender === ANTPOOL_PROCESSES)?.median;
  if (threads === undefined || processes === undefined) return [];
  const { metric, unit } = THROUGHPUT[scenario.app];
  const targets: LoopTarget[] = [];
  const [mine, theirs] = [threads[metric], processes[metric]];
  if (mine !== undefined && theirs !== undefined) {
    targets.push({
      label: '2 thread loops at least as fast as 2 process loops',
      met: mine >= theirs,
      detail: `${mine.toFixed(1)} against ${theirs.toFixed(1)} ${unit}`,
    });
  }
  for (const [metric, what] of [
    ['idleRssMb', 'idle'],
    ['rssMb', 'peak'],
  ] as const) {
    const [rss, processRss] = [threads[metric], processes[metric]];
    if (rss === undefined || processRss === undefined) continue;
    targets.push({
      label: `2 thread loops use less memory than 2 process loops (${what})`,
      met: rss < processRss,
      detail: `${rss.toFixed(0)} against ${processRss.toFixed(0)} MB of server RSS`,
    });
  }
  return targets;
}

/** What a scenario's load is made of, besides its connections and timing. */
const loadOf = (s: NetScenario) => {
  switch (s.app) {
    case 'echo':
      return { size: s.size, depth: s.depth, batch: s.batch };
    case 'slowloris':
      return { peers: s.lorisPeers, size: s.size, depth: s.depth, batch: s.batch };
    default:
      return { pipeline: s.pipeline };
  }
};

/** A scenario's results as plain JSON data. */
export function scenarioJson(result: NetScenarioResult) {
  const { scenario } = result;
  const { id, title, app, baseline, reference } = scenario;
  return {
    id,
    title,
    app,
    baseline,
    reference,
    ...loadOf(scenario),
    ...medianResultJson(result),
    loopTargets: loopTargets(result),
  };
}
