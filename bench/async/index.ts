/**
 * Async-pool benchmark: antpool against p-limit, p-queue, fastq and plain `Promise.all`.
 *
 * `npm run bench:async [-- --rounds N --scenario 1|2|3 --tasks N]`
 *
 * Runs every (scenario, contender, round) in its own `node child.mjs` process, one at a time,
 * contenders interleaved within each round; prints the machine, then per scenario a markdown
 * table of medians with ratios to antpool and PASS/MISS for every target; writes the same as
 * JSON to `bench/results/async-latest.json`. Progress goes to stderr, the report to stdout.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { positiveInt } from '../lib/args.js';
import { printReport, runMain, selectScenarios, writeResults } from '../lib/cli.js';
import { parseMeasurement } from '../lib/measurement.js';
import { createProgress } from '../lib/progress.js';
import { renderScenario, scenarioJson } from '../lib/report.js';
import { runNode } from '../lib/spawn.js';
import { type Job, jobCount, runSuite } from '../lib/suite.js';
import { systemInfo } from '../lib/system.js';
import { type AsyncScenario, DEFAULT_TASKS, SCENARIOS } from './scenarios.js';

const CHILD = fileURLToPath(new URL('./child.mjs', import.meta.url));
const NODE_ARGS = ['--max-old-space-size=4096'];

/** Command-line options, validated. */
interface Options {
  readonly rounds: number;
  readonly tasks: number;
  readonly scenarios: readonly AsyncScenario[];
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string' },
      tasks: { type: 'string' },
      scenario: { type: 'string' },
    },
  });
  return {
    rounds: positiveInt(values.rounds, 'rounds', 3),
    tasks: positiveInt(values.tasks, 'tasks', DEFAULT_TASKS),
    scenarios: selectScenarios(SCENARIOS, values.scenario),
  };
}

const count = (n: number): string => n.toLocaleString('en-US');

async function main(): Promise<void> {
  const { rounds, tasks, scenarios } = parseOptions();
  const progress = createProgress(jobCount(scenarios, rounds));
  const measure = async ({ scenario, contender, round }: Job<AsyncScenario>) => {
    progress.label(`scenario ${scenario.id}, round ${round}/${rounds}: ${contender}`);
    const line = await runNode({
      script: CHILD,
      nodeArgs: NODE_ARGS,
      args: [
        ...['--scenario', scenario.id, '--contender', contender],
        ...['--tasks', String(tasks), '--concurrency', String(scenario.concurrency)],
      ],
    });
    progress.tick();
    return parseMeasurement(line);
  };
  const results = await runSuite(scenarios, rounds, measure).finally(() => progress.stop());

  const system = systemInfo();
  const sections = results.map((result) => {
    const { id, title, concurrency } = result.scenario;
    const heading = `## Scenario ${id}: ${title} (${count(tasks)} tasks, concurrency ${count(concurrency)})`;
    return renderScenario(result, heading);
  });
  printReport(
    'antpool async benchmark',
    system,
    [
      `- Medians of ${rounds} round(s); each run is a fresh \`node ${NODE_ARGS.join(' ')}\` process`,
    ],
    sections,
  );

  await writeResults('async', system, {
    rounds,
    tasks,
    scenarios: results.map((result) => ({
      id: result.scenario.id,
      title: result.scenario.title,
      concurrency: result.scenario.concurrency,
      ...scenarioJson(result),
    })),
  });
}

runMain(main);
