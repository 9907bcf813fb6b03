/**
 * Network benchmark: antpool/net (1 event loop, and 2) against plain `node:net` on echo
 * throughput, and against `node:http` on HTTP requests/s under wrk.
 *
 * `npm run bench:net [-- --rounds N --scenario 1|2|3|4|echo|http --quick]`
 *
 * Runs every (scenario, contender, round) as a fresh `node server.mjs` process put under load
 * from another process (`echo-client.mjs`, or wrk), one at a time, contenders interleaved within
 * each round; prints the machine, then per scenario a markdown table of medians with ratios to
 * the plain Node server and PASS/MISS for every target; writes the same as JSON to
 * `bench/results/net-latest.json`. Without wrk, the HTTP scenarios are skipped, said so.
 * `--quick` runs 1 round (unless `--rounds` says otherwise) of 1-second loads.
 * Progress goes to stderr, the report to stdout.
 */
import { fileURLToPath } from 'node:url';
import { parseSuiteOptions, printReport, runMain, writeResults } from '../lib/cli.js';
import { parseSample, type Sample } from '../lib/measurement.js';
import { summarizeMedians } from '../lib/medians.js';
import { collectWithProgress } from '../lib/progress.js';
import { startNode } from '../lib/spawn.js';
import type { Job } from '../lib/suite.js';
import { systemInfo } from '../lib/system.js';
import { runLoad, wrkInstalled } from './load.js';
import { renderScenario, scenarioJson } from './report.js';
import {
  ANTPOOL,
  ANTPOOL_2_LOOPS,
  CONNECTIONS,
  type NetScenario,
  SCENARIOS,
  TIMING,
  type Timing,
  WRK_THREADS,
} from './scenarios.js';

const SERVER = fileURLToPath(new URL('./server.mjs', import.meta.url));

/**
 * One job's sample: starts the contender's server in a fresh process, puts it under the
 * scenario's load, then stops it.
 */
function measurer(timing: Timing) {
  return async ({ scenario, contender }: Job<NetScenario>): Promise<Sample> => {
    const server = await startNode({
      script: SERVER,
      args: ['--app', scenario.app, '--contender', contender],
    });
    try {
      return await runLoad(parseSample(server.line, ['port']).port, scenario, timing);
    } finally {
      await server.stop();
    }
  };
}

/** A scenario's heading: its title and its load. */
function heading(scenario: NetScenario, { seconds, echoWarmupMs, wrkWarmupSeconds }: Timing) {
  const load =
    scenario.app === 'echo'
      ? `${CONNECTIONS} connections, ${seconds} s measured after ${echoWarmupMs / 1000} s of warm-up`
      : `wrk -t${WRK_THREADS} -c${CONNECTIONS} -d${seconds}s` +
        (wrkWarmupSeconds > 0 ? `, after a ${wrkWarmupSeconds} s run unmeasured` : '');
  return `## Scenario ${scenario.id}: ${scenario.title} (${load})`;
}

/** The report's bullets on how it was measured, and on what it skipped. */
function method(rounds: number, quick: boolean, skipped: boolean): string[] {
  return [
    `- Medians of ${rounds} round(s)${quick ? ' (--quick: 1-second loads)' : ''}; each server is a fresh \`node\` process, its load another process (echo: \`bench/net/echo-client.mjs\`; HTTP: wrk)`,
    `- Servers: ${ANTPOOL} with 1 event loop, ${ANTPOOL_2_LOOPS} with \`numEventLoop: 2\` (loop 0 in the server process, loop 1 a child process), handlers in \`bench/net/*-handler.mjs\`; node:net echoes each chunk with \`socket.write\` (Nagle off, as antpool/net); node:http is \`createServer((req, res) => res.end('Hello, World!'))\``,
    '- MB = 10^6 bytes echoed back; client/wrk CPU: its CPU time over its run, in % of one core; machine busy: all cores during the load, from /proc/stat',
    ...(skipped
      ? ['- HTTP scenarios skipped: wrk is not installed (Debian: `apt-get install wrk`)']
      : []),
  ];
}

async function main(): Promise<void> {
  const options = parseSuiteOptions(SCENARIOS, { alias: (s) => s.app, quickRounds: 1 });
  const { rounds, quick } = options;
  const hasWrk = wrkInstalled();
  const scenarios = options.scenarios.filter((s) => s.app === 'echo' || hasWrk);
  const skipped = scenarios.length < options.scenarios.length;
  if (skipped) console.error('wrk is not installed: skipping the HTTP scenarios');
  const timing = TIMING[quick ? 'quick' : 'full'];
  const samples = await collectWithProgress(scenarios, rounds, measurer(timing));
  const results = scenarios.map((scenario) => summarizeMedians(scenario, samples.get(scenario)!));

  const system = systemInfo();
  const sections = results.map((result) =>
    renderScenario(result, heading(result.scenario, timing)),
  );
  printReport('antpool/net benchmark', system, method(rounds, quick, skipped), sections);

  await writeResults('net', system, {
    rounds,
    quick,
    connections: CONNECTIONS,
    timing,
    skipped: skipped ? 'HTTP: wrk is not installed' : undefined,
    scenarios: results.map(scenarioJson),
  });
}

runMain(main);
