import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));

// What `npm run demo` runs after its build (npm test has built dist/ already).
test('npm run demo shows every kind of worker, says what each step proves, and exits', async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'examples/demo.ts'],
    { cwd: root, encoding: 'utf8', timeout: 90_000 },
  );
  const lines = stdout.trim().split('\n');
  const steps = lines.filter((line) => /^(step \d\/3|done)/.test(line));
  assert.deepEqual(
    steps.map((line) => line.split(':')[0]),
    ['step 1/3', 'step 2/3', 'step 3/3', 'done'],
  );
  assert.equal(lines.filter((line) => line.startsWith('  proves: ')).length, 3);
  // Step 1: the ants README example, whose output is exact.
  assert.deepEqual(lines.slice(1, 5), [
    'running workers: 1000',
    'finish all 1000 tasks.',
    'running workers: 10',
    'finish all tasks, result is 499500',
  ]);
  // Step 2: inline work starves the timer; the pool's threads compute the right answer.
  assert.ok(lines.some((l) => /inline: .* the 10 ms timer fired 0 times meanwhile$/.test(l)));
  assert.ok(lines.some((l) => /ThreadPool of \d+ threads: 16 × fib\(32\) = 2178309 in /.test(l)));
  // Step 3: the echo comes back before the offloaded answer, on the same connection.
  const got = lines.filter((line) => line.startsWith("  got '"));
  assert.equal(got.length, 2);
  assert.match(got[0]!, /^ {2}got 'hello' after .* echoed by the event loop$/);
  assert.match(got[1]!, /^ {2}got 'fib 35 = 9227465' after .* from a thread, via asyncWrite$/);
});
