import { bullet, type GoalResult, type MetricGoal, medianOf, showFigure } from './goal.js';
import type { Sample } from './measurement.js';
import { round } from './stats.js';

/**
 * A goal for the baseline against one named contender on one metric: met when the baseline is
 * at least `factor` times better, i.e. `baseline / versus >= factor` for a metric where higher
 * is better (tasks/s), `versus / baseline >= factor` where lower is (wall time).
 */
export interface VersusTarget extends MetricGoal {
  readonly kind: 'versus';
  /** The contender the baseline is compared with. */
  readonly versus: string;
  /** How many times better the baseline must be (1.3: "at least 1.3x faster"). */
  readonly factor: number;
}

/** How many times better `value` is than `other`: above 1 when better, below 1 when worse. */
export function advantage(value: number, other: number, { better }: MetricGoal): number {
  return better === 'higher' ? value / other : other / value;
}

/**
 * Checks `target` for `baseline`, given each contender's median sample; the result's `against`
 * is the `versus` contender.
 * @throws Error when the baseline or the `versus` contender is missing from `medians`.
 */
export function checkVersusTarget(
  target: VersusTarget,
  medians: ReadonlyMap<string, Sample>,
  baseline: string,
): GoalResult<VersusTarget> {
  const { metric, versus, factor } = target;
  const value = medianOf(medians, baseline, metric);
  const other = medianOf(medians, versus, metric);
  const limit = target.better === 'higher' ? other * factor : other / factor;
  const met = advantage(value, other, target) >= factor;
  return { target, value, against: { contender: versus, value: other }, limit, met };
}

/**
 * One versus target as a markdown bullet: PASS/MISS, the goal, both medians, and the measured
 * ratio written the way round it is checked, e.g. "antpool (no stealing)/antpool = 1.42x".
 */
export function formatVersusTarget(
  { target, value, against, met }: GoalResult<VersusTarget>,
  baseline: string,
): string {
  const other = against!;
  const show = (n: number): string => showFigure(n, target);
  const [over, under] =
    target.better === 'higher' ? [baseline, other.contender] : [other.contender, baseline];
  const ratio = advantage(value, other.value, target);
  return bullet(
    met,
    target.label,
    `${baseline} ${show(value)}; ${other.contender} ${show(other.value)}; ` +
      `${over}/${under} = ${ratio.toFixed(2)}x, needs >= ${round(target.factor, 3)}x`,
  );
}
