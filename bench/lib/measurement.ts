/** What one benchmark child reports: wall time of the work alone, and the process' peak RSS. */
export interface Measurement {
  /** Milliseconds, `performance.now()` around the work only. */
  readonly wallMs: number;
  /** Megabytes, from `process.resourceUsage().maxRSS`. */
  readonly rssMb: number;
}

/** The metrics a {@link Measurement} holds; targets and ratios name one of them. */
export type Metric = keyof Measurement;

/** Any named numbers one benchmark child reports, e.g. `{ tasksPerSec, rssMb }`. */
export type Sample<K extends string = string> = Readonly<Record<K, number>>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/**
 * Parses the JSON line a child printed into a {@link Sample} of the metrics `keys`; other
 * fields of the line are dropped.
 * @throws Error when the line is not JSON or lacks a positive number for one of `keys`.
 */
export function parseSample<K extends string>(line: string, keys: readonly K[]): Sample<K> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error(`child printed no JSON: ${JSON.stringify(line)}`);
  }
  const missing = keys.filter((key) => !isRecord(value) || !isPositive(value[key]));
  if (!isRecord(value) || missing.length > 0) {
    throw new Error(`child printed no positive ${missing.join(', ')}: ${line}`);
  }
  return Object.fromEntries(keys.map((key) => [key, value[key]])) as Record<K, number>;
}

/**
 * Parses the JSON line a child printed into a {@link Measurement}.
 * @throws Error when the line is not JSON or lacks a positive `wallMs` or `rssMb`.
 */
export function parseMeasurement(line: string): Measurement {
  return parseSample(line, ['wallMs', 'rssMb']);
}
