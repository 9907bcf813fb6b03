/**
 * Network benchmark: antpool/net (1 event loop; 2 as threads; 2 as processes) against plain
 * `node:net` on echo throughput, and against `node:http` on HTTP requests/s under wrk, with the
 * memory of the whole server (every process of it, summed) at its peak under load; and the
 * Redis example (`examples/net/redis.ts`) against redis-server under redis-benchmark.
 *
 * `npm run bench:net [-- --rounds N --scenario 1|2|3|4|5|6|7|echo|http|redis|slowloris --quick]`
 *
 * Runs every (scenario, contender, round) as a fresh `node server.mjs` process put under load
 * from another process (`echo-client.mjs`, or wrk), one at a time, contenders interleaved within
 * each round; prints the machine, then per scenario a markdown table of medians with ratios to
 * the plain Node server and PASS/MISS for every target; writes the same as JSON to
 * `bench/results/net-latest.json`. Without wrk, the HTTP scenarios are skipped, said so (and the
 * Redis ones without redis-benchmark and redis-server); where
 * Node has no `reusePort` (before 22.12), so are thread loops.
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
import { withServerRss } from './memory.js';
import {
  REDIS_CLIENTS,
  REDIS_EXAMPLE,
  REDIS_SERVER,
  redisToolsInstalled,
  startRedisContender,
} from './redis.js';
import { renderScenario, scenarioJson } from './report.js';
import {
  ANTPOOL,
  ANTPOOL_PROCESSES,
  ANTPOOL_THREADS,
  CONNECTIONS,
  type NetScenario,
  runnableHere,
  SCENARIOS,
  TIMING,
  type Timing,
  WRK_THREADS,
} from './scenarios.js';
import { measureSlowLoris } from './slowloris.js';

const SERVER = fileURLToPath(new URL('./server.mjs', import.meta.url));

/**
 * One job's sample: starts the contender's server in a fresh process, puts it under the
 * scenario's load while reading its memory, then stops it.
 */
function measurer(timing: Timing) {
  return async ({ scenario, contender }: Job<NetScenario>): Promise<Sample> => {
    if (scenario.app === 'redis') return measureRedis(scenario, contender, timing);
    if (scenario.app === 'slowloris') return measureSlowLoris(scenario, timing);
    const server = await startNode({
      script: SERVER,
      args: ['--app', scenario.app, '--contender', contender],
    });
    try {
      const { port, pid } = parseSample(server.line, ['port', 'pid']);
      const { result, rss } = await withServerRss(pid, () => runLoad(port, scenario, timing));
      return rss === undefined ? result : { ...result, idleRssMb: rss.idleMb, rssMb: rss.peakMb };
    } finally {
      await server.stop();
    }
  };
}

/** The Redis scenarios' sample: the example or redis-server under redis-benchmark. */
async function measureRedis(
  scenario: NetScenario,
  contender: string,
  timing: Timing,
): Promise<Sample> {
  const server = await startRedisContender(contender);
  try {
    const { result, rss } = await withServerRss(server.pid, () =>
      runLoad(server.port, scenario, timing),
    );
    return rss === undefined ? result : { ...result, idleRssMb: rss.idleMb, rssMb: rss.peakMb };
  } finally {
    await server.stop();
  }
}

/** A scenario's load, as its heading says it. */
function loadOf(scenario: NetScenario, timing: Timing): string {
  const { seconds, echoWarmupMs, wrkWarmupSeconds, redisRequests } = timing;
  switch (scenario.app) {
    case 'echo':
      return `${CONNECTIONS} connections, ${seconds} s measured after ${echoWarmupMs / 1000} s of warm-up`;
    case 'http':
      return (
        `wrk -t${WRK_THREADS} -c${CONNECTIONS} -d${seconds}s` +
        (wrkWarmupSeconds > 0 ? `, after a ${wrkWarmupSeconds} s run unmeasured` : '')
      );
    case 'slowloris':
      return `echo as scenario 1 for ${seconds} s without the peers, then with them; memory read after a full GC`;
    case 'redis': {
      const { pipeline } = scenario;
      const requests = pipeline === 1 ? redisRequests.single : redisRequests.pipelined;
      return `redis-benchmark -t ping_mbulk,set,get -c ${REDIS_CLIENTS} -n ${requests} -P ${pipeline}`;
    }
  }
}

/** A scenario's heading: its title and its load. */
function heading(scenario: NetScenario, timing: Timing) {
  return `## Scenario ${scenario.id}: ${scenario.title} (${loadOf(scenario, timing)})`;
}

/** The report's bullets on how it was measured, and on what it skipped. */
function method(
  rounds: number,
  quick: boolean,
  skipped: { http: boolean; redis: boolean },
  noThreads: boolean,
): string[] {
  return [
    `- Medians of ${rounds} round(s)${quick ? ' (--quick: 1-second loads)' : ''}; each server is a fresh \`node\` process, its load another process (echo: \`bench/net/echo-client.mjs\`; HTTP: wrk)`,
    `- Servers: ${ANTPOOL} with 1 event loop; \`numEventLoop: 2\` as ${ANTPOOL_THREADS} (loop 1 a worker thread, both loops listening on the port with reusePort) and as ${ANTPOOL_PROCESSES} (loop 1 a child process, loop 0 accepting and handing over round-robin); handlers in \`bench/net/*-handler.mjs\`; node:net echoes each chunk with \`socket.write\` (Nagle off, as antpool/net); node:http is \`createServer((req, res) => res.end('Hello, World!'))\``,
    '- MB = 10^6 bytes echoed back; client/wrk CPU: its CPU time over its run, in % of one core; machine busy: all cores during the load, from /proc/stat; server RSS: the RSS of every process of the server summed (a thread counts in its process), listening before the load (idle) and at its peak under it (read every 100 ms from /proc)',
    `- Redis: ${REDIS_EXAMPLE} is the example run as its header says (\`node --import tsx examples/net/redis.ts\`, one event loop); ${REDIS_SERVER} runs without persistence (\`--save '' --appendonly no\`) from a temporary folder; both on a free port of 127.0.0.1, fresh for each run, and loaded by one redis-benchmark process (${REDIS_CLIENTS} connections); the ratio column is PING_MBULK / SET / GET`,
    ...(skipped.http
      ? ['- HTTP scenarios skipped: wrk is not installed (Debian: `apt-get install wrk`)']
      : []),
    ...(skipped.redis
      ? [
          '- Redis scenarios skipped: redis-benchmark or redis-server is not installed (Debian: `apt-get install redis-server`, which brings redis-tools)',
        ]
      : []),
    ...(noThreads
      ? [
          `- ${ANTPOOL_THREADS} skipped: Node ${process.version} has no reusePort (Node >= 22.12 on Linux)`,
        ]
      : []),
  ];
}

async function main(): Promise<void> {
  const options = parseSuiteOptions(SCENARIOS, { alias: (s) => s.app, quickRounds: 1 });
  const { rounds, quick } = options;
  const hasWrk = wrkInstalled();
  const hasRedis = redisToolsInstalled();
  const scenarios = options.scenarios
    .filter(
      (s) => s.app === 'echo' || s.app === 'slowloris' || (s.app === 'http' ? hasWrk : hasRedis),
    )
    .map((s) => runnableHere(s));
  const skipped = {
    http: !hasWrk && options.scenarios.some((s) => s.app === 'http'),
    redis: !hasRedis && options.scenarios.some((s) => s.app === 'redis'),
  };
  const noThreads = scenarios.some(
    (s) => (s.app === 'echo' || s.app === 'http') && !s.contenders.includes(ANTPOOL_THREADS),
  );
  if (skipped.http) console.error('wrk is not installed: skipping the HTTP scenarios');
  if (skipped.redis)
    console.error('redis-benchmark is not installed: skipping the Redis scenarios');
  const timing = TIMING[quick ? 'quick' : 'full'];
  const samples = await collectWithProgress(scenarios, rounds, measurer(timing));
  const results = scenarios.map((scenario) => summarizeMedians(scenario, samples.get(scenario)!));

  const system = systemInfo();
  const sections = results.map((result) =>
    renderScenario(result, heading(result.scenario, timing)),
  );
  printReport('antpool/net benchmark', system, method(rounds, quick, skipped, noThreads), sections);

  await writeResults('net', system, {
    rounds,
    quick,
    connections: CONNECTIONS,
    timing,
    skipped:
      [
        ...(skipped.http ? ['HTTP: wrk is not installed'] : []),
        ...(skipped.redis ? ['Redis: redis-benchmark or redis-server is not installed'] : []),
      ].join('; ') || undefined,
    scenarios: results.map(scenarioJson),
  });
}

runMain(main);
