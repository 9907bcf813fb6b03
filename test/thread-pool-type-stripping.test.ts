import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// Node strips TypeScript types by itself from 22.18 (`process.features.typescript`, since 22.10,
// is then 'strip'); on older lines a .ts task module needs a loader such as tsx.
const stripsTypes = Boolean((process.features as { typescript?: string | false }).typescript);

/** Runs fixtures/typescript-task-main.mjs with plain `node`: no tsx, no flag. */
async function runWithoutLoader(): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [fileURLToPath(new URL('./fixtures/typescript-task-main.mjs', import.meta.url))],
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      timeout: 30_000,
    },
  );
  return stdout.trim();
}

test('a TypeScript task module runs in a ThreadPool under plain node (type stripping)', {
  skip: stripsTypes ? false : `Node ${process.version} does not strip types (>= 22.18 does)`,
}, async () => {
  assert.equal(await runWithoutLoader(), 'result 42');
});

test('without a loader, a TypeScript task module rejects its tasks where Node cannot strip types', {
  skip: stripsTypes ? `Node ${process.version} strips types` : false,
}, async () => {
  assert.match(await runWithoutLoader(), /^rejected \w*Error$/);
});
