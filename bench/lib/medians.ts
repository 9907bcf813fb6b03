import { type Column, markdownTable } from './markdown.js';
import type { Sample } from './measurement.js';
import {
  formatRatioNote,
  measureRatioNote,
  type RatioNote,
  type RatioNoteResult,
  ratioNoteJson,
} from './ratio-note.js';
import { decimals } from './report.js';
import { round } from './stats.js';
import { medianSample, type ScenarioBase } from './suite.js';
import {
  checkMedianTarget,
  formatMedianTarget,
  type MedianTarget,
  type MedianTargetResult,
  medianTargetJson,
} from './targets.js';

/**
 * A scenario judged on its contenders' median {@link Sample}s: targets for the baseline, each
 * PASS or MISS, and ratios noted for information.
 */
export interface MedianScenario extends ScenarioBase {
  /** The contenders a peer target looks for the best among. */
  readonly peers?: readonly string[];
  readonly targets: readonly MedianTarget[];
  /** Ratios printed for information, not judged. */
  readonly notes?: readonly RatioNote[];
}

/** A contender's samples over all rounds and their per-metric medians. */
export interface MedianContenderResult {
  readonly contender: string;
  readonly samples: readonly Sample[];
  readonly median: Sample;
}

/** Everything measured for one {@link MedianScenario}. */
export interface MedianScenarioResult<S extends MedianScenario> {
  readonly scenario: S;
  readonly results: readonly MedianContenderResult[];
  readonly targets: readonly MedianTargetResult[];
  readonly notes: readonly RatioNoteResult[];
}

/**
 * Medians per contender, in the scenario's contender order (each passed through `derive`, which
 * may add metrics computed from the others), then every target checked and every note measured
 * against them.
 */
export function summarizeMedians<S extends MedianScenario>(
  scenario: S,
  samples: ReadonlyMap<string, readonly Sample[]>,
  derive: (median: Sample) => Sample = (median) => median,
): MedianScenarioResult<S> {
  const { baseline, peers = [] } = scenario;
  const results = scenario.contenders.map((contender) => {
    const runs = samples.get(contender) ?? [];
    return { contender, samples: runs, median: derive(medianSample(runs)) };
  });
  const medians = new Map(results.map((r) => [r.contender, r.median]));
  const targets = scenario.targets.map((t) => checkMedianTarget(t, medians, baseline, peers));
  const notes = (scenario.notes ?? []).map((n) => measureRatioNote(n, medians, baseline));
  return { scenario, results, targets, notes };
}

/** A table column filled from a contender's median sample. */
export interface MetricColumn extends Column {
  readonly cell: (median: Sample) => string;
}

/** A right-aligned column showing metric `key` with `digits` decimals ("n/a" when absent). */
export function metricColumn(header: string, key: string, digits = 1): MetricColumn {
  return {
    header,
    align: 'right',
    cell: (median) => {
      const value = median[key];
      return value === undefined ? 'n/a' : decimals(value, digits);
    },
  };
}

/**
 * How a scenario's table reads: its columns, and the last column, comparing each contender's
 * median with the reference contender's (the baseline unless `reference` names another).
 */
export interface Layout {
  readonly columns: readonly MetricColumn[];
  readonly versus: (median: Sample, reference: Sample) => string;
  readonly reference?: string;
}

/**
 * A scenario's results as markdown: a table of medians per contender with the comparison to the
 * reference, then every target with PASS or MISS, then every note as INFO.
 */
export function renderMedians<S extends MedianScenario>(
  { scenario, results, targets, notes }: MedianScenarioResult<S>,
  heading: string,
  layout: Layout,
): string {
  const { baseline } = scenario;
  const reference = layout.reference ?? baseline;
  const base = results.find((r) => r.contender === reference)!.median;
  const versus = (contender: string, median: Sample): string => {
    if (contender !== reference) return layout.versus(median, base);
    return reference === baseline ? 'baseline' : 'reference';
  };
  const rows = results.map(({ contender, median }) => [
    contender,
    ...layout.columns.map((column) => column.cell(median)),
    versus(contender, median),
  ]);
  const table = markdownTable(
    [{ header: 'Contender' }, ...layout.columns, { header: `vs ${reference}` }],
    rows,
  );
  const lines = [
    ...targets.map((t) => formatMedianTarget(t, baseline)),
    ...notes.map(formatRatioNote),
  ];
  return [heading, '', table, ...(lines.length > 0 ? ['', ...lines] : [])].join('\n');
}

/** Every metric of a sample rounded (3 decimals: latencies in ms and ratios need them). */
const rounded = (m: Sample): Sample =>
  Object.fromEntries(Object.entries(m).map(([key, value]) => [key, round(value, 3)]));

/** A scenario's medians, samples, targets and notes as plain JSON data. */
export function medianResultJson<S extends MedianScenario>({
  results,
  targets,
  notes,
}: MedianScenarioResult<S>) {
  return {
    results: results.map(({ contender, median, samples }) => ({
      contender,
      median: rounded(median),
      samples: samples.map(rounded),
    })),
    targets: targets.map(medianTargetJson),
    notes: notes.map(ratioNoteJson),
  };
}
