import type { Sample } from './measurement.js';
import { decimals } from './report.js';

/** Which way is better for a metric. */
export type Better = 'higher' | 'lower';

/** How a metric's numbers print: unit and decimals. */
export interface Figure {
  /** Shown after the numbers, e.g. "µs"; the ratio unit "x" is written without a space. */
  readonly unit: string;
  /** Decimals shown. @default 1 */
  readonly digits?: number;
}

/**
 * What every kind of target shares: a goal for the baseline's median on one metric. Each kind
 * (peer, absolute, versus) adds where the worst acceptable value comes from.
 */
export interface MetricGoal extends Figure {
  /** Human wording, e.g. "antpool tasks/s >= 150,000". */
  readonly label: string;
  readonly metric: string;
  /** Which way is better for `metric`. */
  readonly better: Better;
}

/** A contender's median on a target's metric. */
export interface ContenderValue {
  readonly contender: string;
  readonly value: number;
}

/** A target of kind `T` checked against medians: the baseline's median against a limit. */
export interface GoalResult<T extends MetricGoal> {
  readonly target: T;
  /** The baseline's median. */
  readonly value: number;
  /** The contender the limit derives from, with its median; none for an absolute goal. */
  readonly against?: ContenderValue;
  /** The worst value that still meets the target. */
  readonly limit: number;
  readonly met: boolean;
}

/** Whether `value` meets `limit`: at least it where higher is better, at most where lower is. */
export function meets(value: number, limit: number, better: Better): boolean {
  return better === 'higher' ? value >= limit : value <= limit;
}

/** Whether `value` is strictly better than `other`. */
export function isBetter(value: number, other: number, better: Better): boolean {
  return better === 'higher' ? value > other : value < other;
}

/** The comparison a limit reads with: ">=" where higher is better, "<=" where lower is. */
export function comparison(better: Better): string {
  return better === 'higher' ? '>=' : '<=';
}

/**
 * `contender`'s median of `metric`.
 * @throws Error when `medians` has no such contender or metric.
 */
export function medianOf(
  medians: ReadonlyMap<string, Sample>,
  contender: string,
  metric: string,
): number {
  const value = medians.get(contender)?.[metric];
  if (value === undefined) throw new Error(`no ${metric} for ${contender}`);
  return value;
}

/** `value` with the figure's decimals and unit: "12,345 tasks/s", "1.86x". */
export function showFigure(value: number, { unit, digits = 1 }: Figure): string {
  return `${decimals(value, digits)}${unit === 'x' ? '' : ' '}${unit}`;
}

/** A checked target as a markdown bullet: "- PASS: label (detail)", or MISS. */
export function bullet(met: boolean, label: string, detail: string): string {
  return `- ${met ? 'PASS' : 'MISS'}: ${label} (${detail})`;
}
