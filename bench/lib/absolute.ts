import {
  bullet,
  comparison,
  type GoalResult,
  type MetricGoal,
  medianOf,
  meets,
  showFigure,
} from './goal.js';
import type { Sample } from './measurement.js';

/**
 * A fixed goal for the baseline's median on one metric, whatever the other contenders do:
 * e.g. antpool tasks/s >= 150,000, or p50 latency <= 25 µs.
 */
export interface AbsoluteTarget extends MetricGoal {
  readonly kind: 'absolute';
  /** The worst median that meets the target, in the metric's unit. */
  readonly goal: number;
}

/**
 * Checks `target` for `baseline`, given each contender's median sample.
 * @throws Error when the baseline's median lacks the metric.
 */
export function checkAbsoluteTarget(
  target: AbsoluteTarget,
  medians: ReadonlyMap<string, Sample>,
  baseline: string,
): GoalResult<AbsoluteTarget> {
  const value = medianOf(medians, baseline, target.metric);
  return { target, value, limit: target.goal, met: meets(value, target.goal, target.better) };
}

/** One absolute target as a markdown bullet: PASS/MISS, the goal, the median and the limit. */
export function formatAbsoluteTarget(
  { target, value, limit, met }: GoalResult<AbsoluteTarget>,
  baseline: string,
): string {
  const needs = `needs ${comparison(target.better)} ${showFigure(limit, target)}`;
  return bullet(met, target.label, `${baseline} ${showFigure(value, target)}, ${needs}`);
}
