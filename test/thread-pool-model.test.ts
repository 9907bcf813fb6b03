/**
 * A model-based property test of ThreadPool on real threads (issue 11, "Proof, not examples"):
 * random sequences of run/invoke of sync, async, throwing, exiting, never-settling and
 * out-of-memory tasks, signal aborts, taskTimeout, tune, release, reboot, releaseTimeout,
 * onIdle and waits, over size 1-3, localQueueSize 1/2/64 and stealing on or off. The invariants
 * are in test/thread-model-invariants.ts; the model in test/thread-model.ts. The sequences play
 * in a forked process (test/thread-model-runner.ts) whose event loop is the pool's alone, so the
 * test sees exactly when a script awaiting the pool's promises would exit.
 *
 * ANTPOOL_MODEL_RUNS sequences (default 200), seed ANTPOOL_SEED (random, printed), replay a
 * counterexample with ANTPOOL_SEED and ANTPOOL_MODEL_PATH as printed. ANTPOOL_MODEL_SKIP=cap,state
 * leaves invariants out (to look past a known failure); ANTPOOL_MODEL_SETTLE_MS bounds the wait
 * for promises (default 10000), ANTPOOL_MODEL_EXIT_MS the wait for the threads to let the
 * process go (default 5000).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { test } from 'node:test';
import fc from 'fast-check';
import { milliseconds, propertyParameters, withProgress } from './property-parameters.js';
import type { Bounds, Violation } from './thread-model.js';
import type { Reply, Request } from './thread-model-runner.js';
import { type Config, config, describeSequence, type Step, steps } from './thread-model-steps.js';

const bounds: Bounds = {
  settleMs: milliseconds('ANTPOOL_MODEL_SETTLE_MS', 10_000),
  exitMs: milliseconds('ANTPOOL_MODEL_EXIT_MS', 5_000),
};
const skipped = new Set((process.env.ANTPOOL_MODEL_SKIP ?? '').split(',').filter(Boolean));

/**
 * The process the sequences play in, one after another; a fresh one after a sequence that left
 * it unclean, or that it did not answer in time (then the sequence fails).
 */
class Runner {
  #child: ChildProcess | undefined;

  play(request: Request): Promise<Violation[]> {
    if (!this.#child?.connected) {
      this.#child = fork(new URL('./thread-model-runner.ts', import.meta.url), {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      this.#child.on('error', () => {}); // its death is what the sequence reports
    }
    const child = this.#child;
    // Every bound of the sequence, and then some: only a runner that is stuck takes this long.
    const ms = 4 * bounds.settleMs + 2 * bounds.exitMs + 20 * 1000;
    return new Promise((resolve) => {
      const answer = (violations: Violation[], clean: boolean) => {
        clearTimeout(timer);
        child.off('message', onReply);
        child.off('exit', onExit);
        if (!clean) this.stop();
        resolve(violations);
      };
      const onReply = (reply: Reply) => answer(reply.violations, reply.clean);
      const onExit = (code: number | null) =>
        answer([{ invariant: 'exit', detail: `the runner process died (code ${code})` }], false);
      const timer = setTimeout(
        () => answer([{ invariant: 'settles', detail: `no answer after ${ms} ms` }], false),
        ms,
      );
      child.on('message', onReply);
      child.on('exit', onExit);
      child.send(request);
    });
  }

  /** Lets the runner exit (it does once its channel closes), or kills one that is unclean. */
  stop(): void {
    const child = this.#child;
    this.#child = undefined;
    if (child === undefined) return;
    if (child.connected) child.disconnect();
    // A runner left unclean may never exit by itself.
    setTimeout(() => child.kill('SIGKILL'), 2000).unref();
  }
}

class ModelFailure extends Error {
  constructor(c: Config, sequence: Step[], violations: Violation[]) {
    const lines = violations.map((v) => `  [${v.invariant}] ${v.detail}`);
    super(`${lines.join('\n')}\nin the sequence\n${describeSequence(c, sequence)}`);
    this.name = 'ModelFailure';
  }
}

const runner = new Runner();

async function property(c: Config, sequence: Step[]): Promise<void> {
  const found = await runner.play({ config: c, sequence, bounds });
  const violations = found.filter((v) => !skipped.has(v.invariant));
  if (violations.length > 0) throw new ModelFailure(c, sequence, violations);
}

test('ThreadPool keeps its lifecycle invariants over random sequences on real threads', async (t) => {
  const parameters = propertyParameters('ANTPOOL_MODEL', 200);
  const seed = parameters.seed ?? (Math.random() * 2 ** 31) | 0;
  t.diagnostic(`seed ${seed}, ${parameters.numRuns} sequences`);
  const predicate = withProgress('thread model', parameters.numRuns, property);
  const details = await fc
    .check(fc.asyncProperty(config, steps, predicate), { ...parameters, seed })
    .finally(() => runner.stop());
  if (!details.failed) return;
  const replay = `ANTPOOL_SEED=${details.seed} ANTPOOL_MODEL_PATH=${details.counterexamplePath}`;
  const cause = details.errorInstance;
  const message = cause instanceof ModelFailure ? cause.message : String(cause);
  throw new Error(
    `The model failed after ${details.numRuns} sequences and ${details.numShrinks} shrinks ` +
      `(replay: ${replay} node --import tsx --test test/thread-pool-model.test.ts):\n${message}`,
  );
});
