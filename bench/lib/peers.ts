import {
  bullet,
  type ContenderValue,
  comparison,
  type GoalResult,
  isBetter,
  type MetricGoal,
  medianOf,
  meets,
  showFigure,
} from './goal.js';
import type { Sample } from './measurement.js';

/**
 * A goal for the baseline against the best of its peers on one metric: met when the baseline's
 * median is at least as good as the best peer's median, give or take the stated slack.
 */
export interface PeerTarget extends MetricGoal {
  readonly kind: 'peer';
  /** The baseline may be this many times worse than the best peer (1.05: 5% of noise). */
  readonly factor?: number;
  /** The baseline may be worse than the best peer by this much, in the metric's unit. */
  readonly margin?: number;
}

/**
 * Checks `target` for `baseline` against `peers`, given each contender's median sample; the
 * result's `against` is the peer with the best median.
 * @throws Error when the baseline or every peer is missing from `medians`.
 */
export function checkPeerTarget(
  target: PeerTarget,
  medians: ReadonlyMap<string, Sample>,
  baseline: string,
  peers: readonly string[],
): GoalResult<PeerTarget> {
  const { metric, better } = target;
  const value = medianOf(medians, baseline, metric);
  let best: ContenderValue | undefined;
  for (const contender of peers) {
    const peer = medians.get(contender)?.[metric];
    if (peer === undefined) continue;
    if (best === undefined || isBetter(peer, best.value, better)) best = { contender, value: peer };
  }
  if (best === undefined) throw new Error(`no peer has ${metric}`);
  const factor = target.factor ?? 1;
  const margin = target.margin ?? 0;
  const limit = better === 'higher' ? best.value / factor - margin : best.value * factor + margin;
  return { target, value, against: best, limit, met: meets(value, limit, better) };
}

/** One peer target as a markdown bullet: PASS/MISS, the goal, both medians and the limit. */
export function formatPeerTarget(
  { target, value, against, limit, met }: GoalResult<PeerTarget>,
  baseline: string,
): string {
  const best = against!;
  const show = (n: number): string => showFigure(n, target);
  const slack = limit === best.value ? '' : `, needs ${comparison(target.better)} ${show(limit)}`;
  return bullet(
    met,
    target.label,
    `${baseline} ${show(value)}; best peer ${best.contender} ${show(best.value)}${slack}`,
  );
}
