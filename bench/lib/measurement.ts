/** What one benchmark child reports: wall time of the work alone, and the process' peak RSS. */
export interface Measurement {
  /** Milliseconds, `performance.now()` around the work only. */
  readonly wallMs: number;
  /** Megabytes, from `process.resourceUsage().maxRSS`. */
  readonly rssMb: number;
}

/** The metrics a {@link Measurement} holds; targets and ratios name one of them. */
export type Metric = keyof Measurement;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/**
 * Parses the JSON line a child printed into a {@link Measurement}.
 * @throws Error when the line is not JSON or lacks a positive `wallMs` or `rssMb`.
 */
export function parseMeasurement(line: string): Measurement {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error(`child printed no JSON: ${JSON.stringify(line)}`);
  }
  if (!isRecord(value) || !isPositive(value.wallMs) || !isPositive(value.rssMb)) {
    throw new Error(`child printed no measurement: ${line}`);
  }
  return { wallMs: value.wallMs, rssMb: value.rssMb };
}
