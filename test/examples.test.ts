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

test('examples/metrics.ts exports stats and traced run times to Prometheus, and exits', () => {
  const lines = runExample('examples/metrics.ts').trim().split('\n');
  const value = (prefix: string): number | undefined => {
    const line = lines.find((l) => l.startsWith(`${prefix} `));
    return line === undefined ? undefined : Number(line.slice(prefix.length + 1));
  };
  assert.equal(value('antpool_tasks_total{pool="http",outcome="completed"}'), 4);
  assert.equal(value('antpool_tasks_total{pool="http",outcome="failed"}'), 1);
  assert.equal(value('antpool_tasks_total{pool="cpu",outcome="completed"}'), 3);
  assert.equal(value('antpool_tasks_total{pool="cpu",outcome="failed"}'), 0);
  const utilization = value('antpool_thread_utilization_ratio');
  assert.ok(utilization !== undefined && utilization > 0 && utilization <= 1, lines.join('\n'));
  const runs = 'antpool_task_run_seconds_count';
  assert.equal(value(`${runs}{kind="async",name="",outcome="completed"}`), 4);
  assert.equal(value(`${runs}{kind="async",name="",outcome="failed"}`), 1);
  assert.equal(value(`${runs}{kind="thread",name="default",outcome="completed"}`), 3);
});
