import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { positiveInt } from './args.js';
import { formatSystem, type SystemInfo } from './system.js';

/** Rounds of a run unless `--rounds` says otherwise. */
const DEFAULT_ROUNDS = 3;

/**
 * The scenarios `--scenario` picks: all when `wanted` is undefined, else those whose `id` is
 * `wanted` or whose `alias` (e.g. the work they run) is.
 * @throws Error listing the choices when none matches.
 */
export function selectScenarios<S extends { readonly id: string }>(
  scenarios: readonly S[],
  wanted: string | undefined,
  alias?: (scenario: S) => string,
): readonly S[] {
  if (wanted === undefined) return scenarios;
  const picked = scenarios.filter((s) => s.id === wanted || alias?.(s) === wanted);
  if (picked.length === 0) {
    const ids = scenarios.map((s) => (alias === undefined ? s.id : `${s.id} (${alias(s)})`));
    throw new Error(`--scenario must be one of ${ids.join(', ')}, got ${JSON.stringify(wanted)}`);
  }
  return picked;
}

/** The command-line options of a benchmark that takes `--rounds N --scenario X --quick`. */
export interface SuiteOptions<S> {
  readonly rounds: number;
  readonly quick: boolean;
  readonly scenarios: readonly S[];
}

/** How {@link parseSuiteOptions} reads `--scenario` and `--quick`. */
export interface SuiteChoices<S> {
  /** What else names a scenario besides its id, e.g. the work it runs. */
  readonly alias?: (scenario: S) => string;
  /** Rounds under `--quick` unless `--rounds` says otherwise. @default 3, as without it */
  readonly quickRounds?: number;
}

/**
 * Parses `--rounds N --scenario X --quick` from the command line: `--scenario` as
 * {@link selectScenarios} reads it, `--rounds` a positive integer (3 by default).
 * @throws Error on an unknown option or a bad value.
 */
export function parseSuiteOptions<S extends { readonly id: string }>(
  all: readonly S[],
  { alias, quickRounds = DEFAULT_ROUNDS }: SuiteChoices<S> = {},
): SuiteOptions<S> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string' },
      scenario: { type: 'string' },
      quick: { type: 'boolean', default: false },
    },
  });
  const { quick } = values;
  const rounds = positiveInt(values.rounds, 'rounds', quick ? quickRounds : DEFAULT_ROUNDS);
  return { rounds, quick, scenarios: selectScenarios(all, values.scenario, alias) };
}

/**
 * Prints a benchmark's report on stdout as markdown: `title`, the machine, `bullets` on how it
 * ran, then the scenarios' `sections`.
 */
export function printReport(
  title: string,
  system: SystemInfo,
  bullets: readonly string[],
  sections: readonly string[],
): void {
  console.log(
    [`# ${title}`, '', formatSystem(system), ...bullets, '', sections.join('\n\n')].join('\n'),
  );
}

/**
 * Writes the date, the machine and `fields` as JSON to `bench/results/<name>-latest.json`
 * (formatted as `biome check` keeps it) and says so on stderr.
 */
export async function writeResults(
  name: string,
  system: SystemInfo,
  fields: Record<string, unknown>,
): Promise<void> {
  const json = { date: new Date().toISOString(), system, ...fields };
  const file = fileURLToPath(new URL(`../results/${name}-latest.json`, import.meta.url));
  await mkdir(new URL('../results/', import.meta.url), { recursive: true });
  await writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
  console.error(`\nWrote ${file}`);
}

/** Runs a benchmark's `main`; on failure prints only the error's message and exits 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
