import { type ContenderValue, type Figure, medianOf, showFigure } from './goal.js';
import type { Sample } from './measurement.js';
import { round } from './stats.js';

/**
 * A ratio reported, not judged: the baseline's median on one metric over a named contender's,
 * e.g. "antpool peak RSS 0.62 of piscina's".
 */
export interface RatioNote extends Figure {
  /** What the metric is called, e.g. "peak RSS". */
  readonly name: string;
  readonly metric: string;
  /** The contender the baseline is compared with. */
  readonly versus: string;
}

/** A {@link RatioNote} measured against medians. */
export interface RatioNoteResult {
  readonly note: RatioNote;
  /** The baseline's median. */
  readonly value: number;
  /** The `versus` contender and its median. */
  readonly against: ContenderValue;
  /** `value / against.value`. */
  readonly ratio: number;
}

/**
 * Measures `note` for `baseline`, given each contender's median sample.
 * @throws Error when the baseline or the `versus` contender is missing from `medians`.
 */
export function measureRatioNote(
  note: RatioNote,
  medians: ReadonlyMap<string, Sample>,
  baseline: string,
): RatioNoteResult {
  const value = medianOf(medians, baseline, note.metric);
  const other = medianOf(medians, note.versus, note.metric);
  return { note, value, against: { contender: note.versus, value: other }, ratio: value / other };
}

/** One ratio note as an INFO bullet: the ratio, then both medians. */
export function formatRatioNote(
  { note, value, against, ratio }: RatioNoteResult,
  baseline: string,
): string {
  const show = (n: number): string => showFigure(n, note);
  return (
    `- INFO: ${baseline} ${note.name} ${ratio.toFixed(2)} of ${against.contender}'s ` +
    `(${baseline} ${show(value)}; ${against.contender} ${show(against.value)})`
  );
}

/** A measured ratio note as plain JSON data: the note's fields, then the figures (3 decimals). */
export function ratioNoteJson({ note, value, against, ratio }: RatioNoteResult) {
  return {
    ...note,
    value: round(value, 3),
    against: { contender: against.contender, value: round(against.value, 3) },
    ratio: round(ratio, 3),
  };
}
