/**
 * Plays one model sequence (argv[2]: `{ config, sequence, bounds }` as JSON) in a process whose
 * only handles are the pool's, and reports on stdout as it exits:
 * `MODEL-SETTLED` once every promise that must settle did, then `MODEL-REPORT <violations>`.
 * The process must exit by itself: not before the promises settle (nothing keeps it alive with
 * tasks in flight), and soon after (a released pool keeps nothing alive).
 */

import { type Bounds, ModelRun } from './thread-model.js';
import { judge } from './thread-model-invariants.js';
import type { Config, Step } from './thread-model-steps.js';

const input = JSON.parse(process.argv[2]!) as { config: Config; sequence: Step[]; bounds: Bounds };
const run = new ModelRun(input.config, input.sequence, input.bounds);

let reported = false;

function report(early?: { invariant: 'alive' | 'settles'; why: string }): void {
  if (reported) return;
  reported = true;
  if (early === undefined) judge(run);
  else {
    const list = run
      .awaited()
      .map((t) => run.describeTask(t))
      .join('; ');
    run.violate(early.invariant, `${early.why} with promises pending: ${list}`);
  }
  process.stdout.write(`MODEL-REPORT ${JSON.stringify(run.violations)}\n`);
}

// Exit code 13: the event loop ran dry under the top-level await below.
process.on('exit', (code) => {
  if (run.settled) report();
  else if (code === 13) report({ invariant: 'alive', why: 'the process exited' });
});
process.on('SIGTERM', () => {
  if (run.settled) report();
  else report({ invariant: 'settles', why: 'the process still waited after the bound' });
  process.exit(0);
});

await run.play();
await run.finish();
process.stdout.write('MODEL-SETTLED\n');
// Tasks that still run keep the process alive as SPEC says; they end, and their threads with them.
if (run.keepsAlive()) run.kill();
