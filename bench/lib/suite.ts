import type { Measurement, Metric, Sample } from './measurement.js';
import { median } from './stats.js';

/**
 * A goal the issue sets for the baseline against one other contender: met when
 * `versus[metric] / baseline[metric] >= factor` (a factor of 3 on `wallMs` reads "3x faster").
 */
export interface Target {
  /** Human wording, e.g. "antpool >= 3x faster than p-limit". */
  readonly label: string;
  readonly versus: string;
  readonly metric: Metric;
  readonly factor: number;
}

/** Any benchmark scenario: which contenders run it, which one the others are compared with. */
export interface ScenarioBase {
  readonly id: string;
  readonly title: string;
  /** The contender every ratio is relative to; must be in `contenders`. */
  readonly baseline: string;
  readonly contenders: readonly string[];
}

/** A scenario measured as {@link Measurement}s, with {@link Target}s against single contenders. */
export interface Scenario extends ScenarioBase {
  readonly targets: readonly Target[];
}

/** One child run: a contender doing a scenario, in a given round (1-based). */
export interface Job<S extends ScenarioBase> {
  readonly scenario: S;
  readonly contender: string;
  readonly round: number;
}

/** A contender's samples over all rounds and their per-metric medians. */
export interface ContenderResult {
  readonly contender: string;
  readonly samples: readonly Measurement[];
  readonly median: Measurement;
}

/** A target with the ratio measured for it. */
export interface TargetResult {
  readonly target: Target;
  /** `versus[metric] / baseline[metric]`, of the medians. */
  readonly ratio: number;
  readonly met: boolean;
}

/** Everything measured for one scenario. */
export interface ScenarioResult<S extends Scenario> {
  readonly scenario: S;
  readonly results: readonly ContenderResult[];
  readonly targets: readonly TargetResult[];
}

/**
 * The order children run in: scenario by scenario, and within a scenario round by round, each
 * round running every contender once, so drift (thermal, background load) hits all alike. Each
 * round starts one contender later than the last, so no contender always runs first.
 */
export function* schedule<S extends ScenarioBase>(
  scenarios: readonly S[],
  rounds: number,
): Generator<Job<S>> {
  for (const scenario of scenarios) {
    const { contenders } = scenario;
    for (let round = 1; round <= rounds; round++) {
      for (let i = 0; i < contenders.length; i++) {
        const contender = contenders[(i + round - 1) % contenders.length]!;
        yield { scenario, contender, round };
      }
    }
  }
}

/** How many children {@link schedule} starts. */
export function jobCount(scenarios: readonly ScenarioBase[], rounds: number): number {
  return scenarios.reduce((sum, scenario) => sum + scenario.contenders.length, 0) * rounds;
}

/**
 * Runs every job of {@link schedule} one after another (never two children at once, so they do
 * not compete for cores) and collects what each returned: per scenario, per contender, the
 * samples in round order.
 */
export async function collectSamples<S extends ScenarioBase, M>(
  scenarios: readonly S[],
  rounds: number,
  measure: (job: Job<S>) => Promise<M>,
): Promise<Map<S, Map<string, M[]>>> {
  const samples = new Map<S, Map<string, M[]>>(
    scenarios.map((scenario) => [scenario, new Map(scenario.contenders.map((c) => [c, []]))]),
  );
  for (const job of schedule(scenarios, rounds)) {
    samples
      .get(job.scenario)!
      .get(job.contender)!
      .push(await measure(job));
  }
  return samples;
}

/**
 * {@link collectSamples}, then summarizes each scenario: medians per contender, targets checked.
 */
export async function runSuite<S extends Scenario>(
  scenarios: readonly S[],
  rounds: number,
  measure: (job: Job<S>) => Promise<Measurement>,
): Promise<ScenarioResult<S>[]> {
  const samples = await collectSamples(scenarios, rounds, measure);
  return scenarios.map((scenario) => summarize(scenario, samples.get(scenario)!));
}

/**
 * The median of every metric over `samples`, taken metric by metric (so the medians may come
 * from different rounds). The metrics are those of the first sample.
 * @throws RangeError for no samples.
 */
export function medianSample<K extends string>(samples: readonly Sample<K>[]): Sample<K> {
  const first = samples[0];
  if (first === undefined) throw new RangeError('median of no samples');
  const keys = Object.keys(first) as K[];
  return Object.fromEntries(
    keys.map((key) => [key, median(samples.map((sample) => sample[key]))]),
  ) as Record<K, number>;
}

/** Medians per contender, in the scenario's contender order, and every target checked. */
export function summarize<S extends Scenario>(
  scenario: S,
  samples: ReadonlyMap<string, readonly Measurement[]>,
): ScenarioResult<S> {
  const results = scenario.contenders.map((contender): ContenderResult => {
    const runs = samples.get(contender) ?? [];
    return {
      contender,
      samples: runs,
      median: medianSample(runs),
    };
  });
  const medianOf = (contender: string): Measurement => {
    const found = results.find((r) => r.contender === contender);
    if (found === undefined) throw new Error(`scenario ${scenario.id} has no ${contender}`);
    return found.median;
  };
  const base = medianOf(scenario.baseline);
  const targets = scenario.targets.map((target): TargetResult => {
    const ratio = medianOf(target.versus)[target.metric] / base[target.metric];
    return { target, ratio, met: ratio >= target.factor };
  });
  return { scenario, results, targets };
}
