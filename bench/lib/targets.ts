import { type AbsoluteTarget, checkAbsoluteTarget, formatAbsoluteTarget } from './absolute.js';
import type { GoalResult } from './goal.js';
import type { Sample } from './measurement.js';
import { checkPeerTarget, formatPeerTarget, type PeerTarget } from './peers.js';
import { round } from './stats.js';
import { checkVersusTarget, formatVersusTarget, type VersusTarget } from './versus.js';

/** Any target checked against the contenders' median samples, told apart by `kind`. */
export type MedianTarget = PeerTarget | AbsoluteTarget | VersusTarget;

/** A {@link MedianTarget} checked. */
export type MedianTargetResult = GoalResult<MedianTarget>;

/**
 * Checks `target` for `baseline`, given each contender's median sample; `peers` are the
 * contenders a peer target looks for the best among.
 * @throws Error when a contender the target needs is missing from `medians`.
 */
export function checkMedianTarget(
  target: MedianTarget,
  medians: ReadonlyMap<string, Sample>,
  baseline: string,
  peers: readonly string[],
): MedianTargetResult {
  switch (target.kind) {
    case 'peer':
      return checkPeerTarget(target, medians, baseline, peers);
    case 'absolute':
      return checkAbsoluteTarget(target, medians, baseline);
    case 'versus':
      return checkVersusTarget(target, medians, baseline);
  }
}

/** A checked target as a markdown bullet with PASS or MISS, worded for its kind. */
export function formatMedianTarget(result: MedianTargetResult, baseline: string): string {
  const { target } = result;
  switch (target.kind) {
    case 'peer':
      return formatPeerTarget({ ...result, target }, baseline);
    case 'absolute':
      return formatAbsoluteTarget({ ...result, target }, baseline);
    case 'versus':
      return formatVersusTarget({ ...result, target }, baseline);
  }
}

/** A checked target as plain JSON data: the target's fields, then the figures (3 decimals). */
export function medianTargetJson({ target, value, against, limit, met }: MedianTargetResult) {
  return {
    ...target,
    value: round(value, 3),
    ...(against === undefined
      ? {}
      : { against: { contender: against.contender, value: round(against.value, 3) } }),
    limit: round(limit, 3),
    met,
  };
}
