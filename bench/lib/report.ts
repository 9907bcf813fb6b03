import { markdownTable } from './markdown.js';
import type { Metric } from './measurement.js';
import { round } from './stats.js';
import type { Scenario, ScenarioResult, TargetResult } from './suite.js';

/** How a ratio to the baseline reads: the words above 1 and below 1, and the metric's name. */
export interface RatioWords {
  readonly more: string;
  readonly less: string;
  readonly name: string;
}

/** The words for a ratio above and below 1, per metric. */
const WORDS: Record<Metric, RatioWords> = {
  wallMs: { more: 'slower', less: 'faster', name: 'wall time' },
  rssMb: { more: 'more memory', less: 'less memory', name: 'peak RSS' },
};

/**
 * `ratio` (contender / baseline) as words: 7.1 -> "7.1x slower", 0.5 -> "2.0x faster".
 * `words` names a metric (`wallMs`, `rssMb`) or gives the words.
 */
export function ratioPhrase(ratio: number, words: Metric | RatioWords): string {
  const { more, less } = typeof words === 'string' ? WORDS[words] : words;
  return ratio >= 1 ? `${ratio.toFixed(1)}x ${more}` : `${(1 / ratio).toFixed(1)}x ${less}`;
}

/** `value` with thousands separators and `digits` decimals: 12345.67 -> "12,345.7". */
export function decimals(value: number, digits = 1): string {
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** One target as a markdown bullet: PASS/MISS, the goal, the measured ratio. */
export function formatTarget({ target, ratio, met }: TargetResult, baseline: string): string {
  const measured = `${target.versus}/${baseline} ${WORDS[target.metric].name} = ${ratio.toFixed(3)}x`;
  return `- ${met ? 'PASS' : 'MISS'}: ${target.label} (${measured}, needs >= ${target.factor}x)`;
}

/**
 * A scenario's results as markdown: a table of median wall time and peak RSS per contender with
 * both ratios to the baseline, then every target with PASS or MISS.
 */
export function renderScenario<S extends Scenario>(
  { scenario, results, targets }: ScenarioResult<S>,
  heading: string,
): string {
  const { baseline } = scenario;
  const base = results.find((r) => r.contender === baseline)?.median;
  const rows = results.map(({ contender, median }) => [
    contender,
    decimals(median.wallMs),
    decimals(median.rssMb),
    contender === baseline || base === undefined
      ? 'baseline'
      : `${ratioPhrase(median.wallMs / base.wallMs, 'wallMs')}, ${ratioPhrase(median.rssMb / base.rssMb, 'rssMb')}`,
  ]);
  const table = markdownTable(
    [
      { header: 'Contender' },
      { header: 'Wall time (ms)', align: 'right' },
      { header: 'Peak RSS (MB)', align: 'right' },
      { header: `vs ${baseline}` },
    ],
    rows,
  );
  const goals = targets.map((t) => formatTarget(t, baseline));
  return [heading, '', table, ...(goals.length > 0 ? ['', ...goals] : [])].join('\n');
}

/**
 * A scenario's results as plain JSON data, numbers rounded (ratios to 3 decimals, the rest to 2).
 * Samples stay objects: `JSON.stringify(_, null, 2)` output of those is already biome-formatted,
 * whereas short number arrays would be collapsed by `biome check`.
 */
export function scenarioJson<S extends Scenario>({
  scenario,
  results,
  targets,
}: ScenarioResult<S>) {
  return {
    results: results.map(({ contender, median, samples }) => ({
      contender,
      wallMs: round(median.wallMs),
      rssMb: round(median.rssMb),
      samples: samples.map((m) => ({ wallMs: round(m.wallMs), rssMb: round(m.rssMb) })),
    })),
    targets: targets.map(({ target, ratio, met }) => ({
      label: target.label,
      versus: target.versus,
      metric: target.metric,
      factor: target.factor,
      ratio: round(ratio, 3),
      met,
    })),
    baseline: scenario.baseline,
  };
}
