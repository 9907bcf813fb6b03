import type { Sample } from './measurement.js';
import { decimals } from './report.js';

/**
 * A goal for the baseline against the best of its peers on one metric: met when the baseline's
 * median is at least as good as the best peer's median, give or take the stated slack.
 */
export interface PeerTarget {
  /** Human wording, e.g. "antpool p50 latency <= best peer's". */
  readonly label: string;
  readonly metric: string;
  /** Which way is better for `metric`. */
  readonly better: 'higher' | 'lower';
  /** The baseline may be this many times worse than the best peer (1.05: 5% of noise). */
  readonly factor?: number;
  /** The baseline may be worse than the best peer by this much, in the metric's unit. */
  readonly margin?: number;
  /** Unit shown after the numbers, e.g. "µs". */
  readonly unit: string;
  /** Decimals shown. @default 1 */
  readonly digits?: number;
}

/** A {@link PeerTarget} checked against medians. */
export interface PeerTargetResult {
  readonly target: PeerTarget;
  /** The baseline's median. */
  readonly value: number;
  /** The peer with the best median, and that median. */
  readonly best: { readonly contender: string; readonly value: number };
  /** The worst value that still meets the target. */
  readonly limit: number;
  readonly met: boolean;
}

/**
 * Checks `target` for `baseline` against `peers`, given each contender's median sample.
 * @throws Error when the baseline or every peer is missing from `medians`.
 */
export function checkPeerTarget(
  target: PeerTarget,
  medians: ReadonlyMap<string, Sample>,
  baseline: string,
  peers: readonly string[],
): PeerTargetResult {
  const metricOf = (contender: string): number | undefined =>
    medians.get(contender)?.[target.metric];
  const value = metricOf(baseline);
  if (value === undefined) throw new Error(`no ${target.metric} for ${baseline}`);
  const higher = target.better === 'higher';
  let best: PeerTargetResult['best'] | undefined;
  for (const contender of peers) {
    const peer = metricOf(contender);
    if (peer === undefined) continue;
    if (best === undefined || (higher ? peer > best.value : peer < best.value)) {
      best = { contender, value: peer };
    }
  }
  if (best === undefined) throw new Error(`no peer has ${target.metric}`);
  const factor = target.factor ?? 1;
  const margin = target.margin ?? 0;
  const limit = higher ? best.value / factor - margin : best.value * factor + margin;
  return { target, value, best, limit, met: higher ? value >= limit : value <= limit };
}

/** One peer target as a markdown bullet: PASS/MISS, the goal, both medians and the limit. */
export function formatPeerTarget(
  { target, value, best, limit, met }: PeerTargetResult,
  baseline: string,
): string {
  const show = (n: number): string => `${decimals(n, target.digits ?? 1)} ${target.unit}`;
  const sign = target.better === 'higher' ? '>=' : '<=';
  const slack = limit === best.value ? '' : `, needs ${sign} ${show(limit)}`;
  return (
    `- ${met ? 'PASS' : 'MISS'}: ${target.label} ` +
    `(${baseline} ${show(value)}; best peer ${best.contender} ${show(best.value)}${slack})`
  );
}
