/**
 * Thread-pool benchmark: antpool's ThreadPool against piscina, tinypool, workerpool, poolifier
 * and a fresh Worker per task, every pool with exactly 2 threads.
 *
 * `npm run bench:thread [-- --rounds N --scenario 1|2|3|4|5|6|<work> --quick]`
 *
 * Runs every (scenario, contender, round) in its own `node child.mjs` process, one at a time,
 * contenders interleaved within each round (scenario 3 runs each contender twice per round:
 * with 2 threads, then 1); prints the machine, then per scenario a markdown table of medians
 * with ratios to antpool and PASS/MISS for every target; writes the same as JSON to
 * `bench/results/thread-latest.json`. Progress goes to stderr, the report to stdout.
 */
import { fileURLToPath } from 'node:url';
import { parseSuiteOptions, printReport, runMain, writeResults } from '../lib/cli.js';
import { parseSample, type Sample } from '../lib/measurement.js';
import { collectWithProgress } from '../lib/progress.js';
import { runNode } from '../lib/spawn.js';
import type { Job } from '../lib/suite.js';
import { systemInfo } from '../lib/system.js';
import { renderScenario, scenarioJson, summarize } from './report.js';
import {
  CAPPED_TASKS,
  countsFor,
  NEW_WORKER,
  QUICK_DIVISOR,
  SCENARIOS,
  THREADS,
  type ThreadScenario,
} from './scenarios.js';

const CHILD = fileURLToPath(new URL('./child.mjs', import.meta.url));

/** Runs one child: `contender` doing the scenario's work with `threads` threads. */
async function runChild(
  { scenario, contender }: Job<ThreadScenario>,
  threads: number,
  quick: boolean,
): Promise<Sample> {
  const { tasks, warmup } = countsFor(scenario, contender, quick);
  const line = await runNode({
    script: CHILD,
    args: [
      ...['--work', scenario.work, '--contender', contender, '--threads', String(threads)],
      ...['--tasks', String(tasks), '--warmup', String(warmup)],
    ],
  });
  return parseSample(line, scenario.metrics);
}

/**
 * One job's sample: the child's metrics with {@link THREADS} threads, plus, where the scenario
 * compares thread counts, `oneThreadWallMs` from a second child with 1 thread right after, and
 * `speedup`, the ratio of the two.
 */
function measurer(quick: boolean) {
  return async (job: Job<ThreadScenario>, detail: (text: string) => void): Promise<Sample> => {
    const sample = await runChild(job, THREADS, quick);
    if (!job.scenario.oneThreadToo) return sample;
    detail('1 thread');
    const oneThread = await runChild(job, 1, quick);
    // Paired within the round: a drift of the machine's speed between rounds cancels out.
    const speedup = oneThread.wallMs! / sample.wallMs!;
    return { ...sample, oneThreadWallMs: oneThread.wallMs!, speedup };
  };
}

const count = (n: number): string => n.toLocaleString('en-US');

/** A scenario's heading: its title and task counts ({@link NEW_WORKER}'s too, where it runs). */
function heading(scenario: ThreadScenario, quick: boolean): string {
  const tasks = `${count(countsFor(scenario, 'antpool', quick).tasks)} tasks`;
  const capped = scenario.contenders.includes(NEW_WORKER)
    ? `; ${NEW_WORKER}: ${count(countsFor(scenario, NEW_WORKER, quick).tasks)}`
    : '';
  return `## Scenario ${scenario.id}: ${scenario.title} (${tasks}${capped})`;
}

/** The bullet on {@link NEW_WORKER}'s capped runs, if a selected scenario runs it. */
function newWorkerNote(scenarios: readonly ThreadScenario[], quick: boolean): string[] {
  if (!scenarios.some((s) => s.contenders.includes(NEW_WORKER))) return [];
  const cap = quick ? CAPPED_TASKS / QUICK_DIVISOR : CAPPED_TASKS;
  return [
    `- ${NEW_WORKER}: at most ${THREADS} threads alive at once, ${count(cap)} tasks per run; compare its per-task figures`,
  ];
}

async function main(): Promise<void> {
  const { rounds, quick, scenarios } = parseSuiteOptions(SCENARIOS, { alias: (s) => s.work });
  const samples = await collectWithProgress(scenarios, rounds, measurer(quick));
  const results = scenarios.map((scenario) => summarize(scenario, samples.get(scenario)!));

  const system = systemInfo();
  const sections = results.map((result) => renderScenario(result, heading(result.scenario, quick)));
  printReport(
    'antpool thread benchmark',
    system,
    [
      `- Medians of ${rounds} round(s); each run is a fresh \`node\` process${quick ? ' (--quick: a tenth of the tasks)' : ''}`,
      `- Every pool has exactly ${THREADS} threads, other options at the library's defaults`,
      ...newWorkerNote(scenarios, quick),
    ],
    sections,
  );

  await writeResults('thread', system, {
    rounds,
    quick,
    threads: THREADS,
    scenarios: results.map(scenarioJson),
  });
}

runMain(main);
