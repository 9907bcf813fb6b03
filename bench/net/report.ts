import type { Sample } from '../lib/measurement.js';
import {
  type Layout,
  type MedianScenarioResult,
  medianResultJson,
  metricColumn,
  renderMedians,
} from '../lib/medians.js';
import type { NetScenario } from './scenarios.js';

/** Everything measured for one scenario. */
export type NetScenarioResult = MedianScenarioResult<NetScenario>;

/** A contender's median of `metric` over the reference's, as "0.93x". */
const ratio =
  (metric: string) =>
  (median: Sample, reference: Sample): string =>
    `${(median[metric]! / reference[metric]!).toFixed(2)}x`;

/** CPU columns: the load generator's, and the whole machine's (the server's is the rest). */
const cpuColumns = (load: string) => [
  metricColumn(`${load} CPU (% of 1 core)`, 'loadCpu', 0),
  metricColumn('Machine busy (% of all cores)', 'machineCpu', 0),
];

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
};

/**
 * A scenario's results as markdown: a table of medians per contender with the ratio to the
 * plain Node server, then every target with PASS or MISS, then every note as INFO.
 */
export function renderScenario(result: NetScenarioResult, heading: string): string {
  const { app, reference } = result.scenario;
  return renderMedians(result, heading, { ...LAYOUTS[app], reference });
}

/** What a scenario's load is made of, besides its connections and timing. */
const loadOf = (s: NetScenario) =>
  s.app === 'echo' ? { size: s.size, depth: s.depth, batch: s.batch } : { pipeline: s.pipeline };

/** A scenario's results as plain JSON data. */
export function scenarioJson(result: NetScenarioResult) {
  const { scenario } = result;
  const { id, title, app, baseline, reference } = scenario;
  return { id, title, app, baseline, reference, ...loadOf(scenario), ...medianResultJson(result) };
}
