/**
 * The process the ThreadPool model test plays its sequences in (test/thread-pool-model.test.ts
 * forks it). Its event loop is the pool's alone while the model watches it: no test runner, no
 * IPC channel keeping it alive (see `loopRunsDry`). It takes `{ config, sequence, bounds }`
 * over IPC, plays the sequence, judges it and answers `{ violations, clean }`; `clean` is false
 * when something the sequence left still keeps the process alive, and the test then forks a
 * fresh runner for the next sequence.
 */

import { type Bounds, ModelRun, type Violation } from './thread-model.js';
import { judge } from './thread-model-invariants.js';
import type { Config, Step } from './thread-model-steps.js';

export interface Request {
  config: Config;
  sequence: Step[];
  bounds: Bounds;
}

export interface Reply {
  violations: Violation[];
  clean: boolean;
}

async function play({ config, sequence, bounds }: Request): Promise<Reply> {
  const run = new ModelRun(config, sequence, bounds);
  try {
    await run.play();
    await run.finish();
    await run.checkExit();
    judge(run);
  } catch (err) {
    run.violate('outcome', `the sequence threw: ${(err as Error).stack ?? String(err)}`);
  }
  const clean = await run.cleanUp();
  return { violations: run.violations, clean };
}

process.on('message', (request: Request) => {
  void play(request).then((reply) => process.send!(reply));
});
