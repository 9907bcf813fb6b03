import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { measureCpu } from '../lib/cpu.js';
import { parseSample, type Sample } from '../lib/measurement.js';
import { runCommand, runNode } from '../lib/spawn.js';
import { redisBenchmark } from './redis.js';
import {
  CONNECTIONS,
  type EchoScenario,
  type HttpScenario,
  type NetScenario,
  type RedisScenario,
  type Timing,
  WRK_THREADS,
} from './scenarios.js';

const ECHO_CLIENT = fileURLToPath(new URL('./echo-client.mjs', import.meta.url));
const WRK_SCRIPT = fileURLToPath(new URL('./wrk.lua', import.meta.url));

/**
 * Runs `load` (a child that exits when done) and adds to its sample the CPU it used, `loadCpu`
 * in % of one core, and the machine's, `machineCpu` in % of all cores (both on Linux only).
 */
async function withCpu(load: () => Promise<Sample>): Promise<Sample> {
  const { result, cpu } = await measureCpu(load);
  return cpu === undefined
    ? result
    : { ...result, loadCpu: cpu.childCpu, machineCpu: cpu.machineCpu };
}

/** The echo client's run against `port`: MB/s and messages/s over the measured seconds. */
async function echoLoad(port: number, scenario: EchoScenario, timing: Timing): Promise<Sample> {
  const flags: Record<string, number> = {
    port,
    conns: CONNECTIONS,
    size: scenario.size,
    depth: scenario.depth,
    batch: scenario.batch,
    warmup: timing.echoWarmupMs,
    duration: timing.seconds * 1000,
  };
  const args = Object.entries(flags).flatMap(([flag, value]) => [`--${flag}`, String(value)]);
  return parseSample(await runNode({ script: ECHO_CLIENT, args }), ['mbPerSec', 'msgPerSec']);
}

/** Whether `wrk` can be run. */
export function wrkInstalled(): boolean {
  const { error } = spawnSync('wrk', ['--version'], { stdio: 'ignore' });
  return (error as NodeJS.ErrnoException | undefined)?.code !== 'ENOENT';
}

/** wrk against `port` for `seconds`; resolves with the JSON line `wrk.lua` prints when done. */
function wrk(port: number, pipeline: number, seconds: number): Promise<string> {
  return runCommand('wrk', [
    ...[`-t${WRK_THREADS}`, `-c${CONNECTIONS}`, `-d${seconds}s`, '-s', WRK_SCRIPT],
    ...[`http://127.0.0.1:${port}/`, '--', String(pipeline)],
  ]);
}

/** The errors `wrk.lua` reports, by kind. */
interface WrkErrors {
  readonly connect: number;
  readonly read: number;
  readonly write: number;
  readonly status: number;
  readonly timeout: number;
}

/**
 * Requests/s and timeouts (connections that waited over 2 s, counted every 2 s) of a wrk run,
 * from the JSON line `wrk.lua` prints.
 * @throws Error when wrk saw a socket error or a response other than 2xx/3xx.
 */
function parseWrk(line: string): Sample {
  const { requests, durationUs } = parseSample(line, ['requests', 'durationUs']);
  const { errors } = JSON.parse(line) as { errors: WrkErrors };
  const { timeout, ...failures } = errors;
  if (Object.values(failures).some((count) => count > 0)) {
    throw new Error(`wrk saw errors: ${line}`);
  }
  return { reqPerSec: requests / (durationUs / 1e6), timeouts: timeout };
}

/** wrk's measured run against `port`, after an unmeasured one when `timing` asks for it. */
async function httpLoad(port: number, scenario: HttpScenario, timing: Timing): Promise<Sample> {
  if (timing.wrkWarmupSeconds > 0) await wrk(port, scenario.pipeline, timing.wrkWarmupSeconds);
  return withCpu(async () => parseWrk(await wrk(port, scenario.pipeline, timing.seconds)));
}

/** redis-benchmark against `port`, as many requests per test as `timing` says. */
function redisLoad(port: number, { pipeline }: RedisScenario, timing: Timing): Promise<Sample> {
  const { single, pipelined } = timing.redisRequests;
  return withCpu(() => redisBenchmark(port, pipeline, pipeline === 1 ? single : pipelined));
}

/** Puts the server on `port` under the scenario's load; resolves with the load's sample. */
export function runLoad(port: number, scenario: NetScenario, timing: Timing): Promise<Sample> {
  switch (scenario.app) {
    case 'echo':
      return withCpu(() => echoLoad(port, scenario, timing));
    case 'http':
      return httpLoad(port, scenario, timing);
    case 'redis':
      return redisLoad(port, scenario, timing);
    case 'slowloris':
      return withCpu(() => echoLoad(port, { ...scenario, app: 'echo' }, timing));
  }
}
