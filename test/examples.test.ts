import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function runExample(file: string): string {
  return execFileSync(process.execPath, ['--import', 'tsx', file], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

test('the README quick start is examples/quick-start.ts, word for word, and runs', () => {
  const example = readFileSync(new URL('../examples/quick-start.ts', import.meta.url), 'utf8');
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  assert.ok(
    readme.includes(`\`\`\`ts\n${example}\`\`\``),
    'README quick start matches the example',
  );
  assert.deepEqual(runExample('examples/quick-start.ts').trim().split('\n'), [
    'page 1, page 2, page 3, page 4, page 5, page 6',
    'running 4, free 0, waiting 0',
    'true ERR_POOL_OVERLOAD',
  ]);
});

test('the docs/thread-pool.md example is examples/thread, word for word, and runs', () => {
  const guide = readFileSync(new URL('../docs/thread-pool.md', import.meta.url), 'utf8');
  for (const [file, lang] of [
    ['fib.js', 'js'],
    ['main.ts', 'ts'],
  ] as const) {
    const source = readFileSync(new URL(`../examples/thread/${file}`, import.meta.url), 'utf8');
    assert.ok(
      guide.includes(`\`\`\`${lang}\n${source}\`\`\``),
      `docs/thread-pool.md shows ${file}`,
    );
  }
  assert.equal(runExample('examples/thread/main.ts').trim(), '832040, 1346269, 2178309');
});

test('the docs/net.md example is examples/net/echo.ts, word for word', () => {
  const guide = readFileSync(new URL('../docs/net.md', import.meta.url), 'utf8');
  const source = readFileSync(new URL('../examples/net/echo.ts', import.meta.url), 'utf8');
  assert.ok(guide.includes(`\`\`\`ts\n${source}\`\`\``), 'docs/net.md shows examples/net/echo.ts');
  // test/net-examples.test.ts runs it.
});
