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
  /** The contender compared, when not the scenario's baseline. */
  readonly subject?: string;
}

/** A {@link RatioNote} measured against medians. */
export interface RatioNoteResult {
  readonly note: RatioNote;
  /** The contender compared: the note's `subject`, else the baseline. */
  readonly subject: string;
  /** The subject's median. */
  readonly value: number;
  /** The `versus` contender and its median. */
  readonly against: ContenderValue;
  /** `value / against.value`. */
  readonly ratio: number;
}

/**
 * Measures `note` for its subject (`baseline` unless the note names one), given each
 * contender's median sample.
 * @throws Error when the subject or the `versus` contender is missing from `medians`.
 */
export function measureRatioNote(
  note: RatioNote,
  medians: ReadonlyMap<string, Sample>,
  baseline: string,
): RatioNoteResult {
  const subject = note.subject ?? baseline;
  const value = medianOf(medians, subject, note.metric);
  const other = medianOf(medians, note.versus, note.metric);
  const against = { contender: note.versus, value: other };
  return { note, subject, value, against, ratio: value / other };
}

/** One ratio note as an INFO bullet: the ratio, then both medians. */
export function formatRatioNote({ note, subject, value, against, ratio }: RatioNoteResult): string {
  const show = (n: number): string => showFigure(n, note);
  return (
    `- INFO: ${subject} ${note.name} ${ratio.toFixed(2)} of ${against.contender}'s ` +
    `(${subject} ${show(value)}; ${against.contender} ${show(against.value)})`
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
