// Issue 11, point 0: while any task of a ThreadPool is in flight, the pool keeps the process
// alive, whichever thread holds it, also after a thread died. The scenarios run in a child
// process whose only handles are the pool's (test/fixtures/crash-child.mjs): a process that
// exits with a task pending exits before it prints `done` (Node reports the unsettled top-level
// await with exit code 13).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ChildResult, runChild } from './lifecycle-helpers.js';

function assertAllSettled(result: ChildResult, rounds: number, crashed: string): void {
  const lines = result.stdout.trim().split('\n').filter(Boolean);
  const account =
    `exit code ${result.code}${result.killed ? ' (killed: it did not exit)' : ''}, ` +
    `${lines.length - (lines.at(-1) === 'done' ? 1 : 0)} of ${rounds} rounds done` +
    (result.stderr.trim() === '' ? '' : `; stderr: ${result.stderr.trim().slice(0, 300)}`);
  assert.equal(result.killed, false, account);
  assert.deepEqual(
    lines,
    [...Array.from({ length: rounds }, (_, round) => `round ${round}: ${crashed}`), 'done'],
    `the process exited with tasks of the pool still pending: ${account}`,
  );
  assert.equal(result.code, 0, account);
}

test('a script awaiting tasks after a thread exited is not abandoned: 20 timers and a crash', {
  timeout: 60_000,
}, async () => {
  const rounds = 10;
  const result = await runChild('crash-child.mjs', ['timers', String(rounds)]);
  assertAllSettled(result, rounds, 'WorkerExitedError 20 fulfilled');
});

test('tasks a thread stole from one that then died keep the process alive until they settle', {
  timeout: 60_000,
}, async () => {
  const rounds = 5;
  const result = await runChild('crash-child.mjs', ['stolen', String(rounds)]);
  assertAllSettled(result, rounds, 'WorkerExitedError 4 fulfilled');
});
