import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderAll, renderSuite } from '../bench/charts/render.js';

const results = new URL('../bench/results/', import.meta.url);

interface Scenario {
  id: string;
  results: { contender: string }[];
}
interface ResultsFile {
  date: string;
  system: { node: string };
  scenarios: Scenario[];
}

function committed(): Map<string, ResultsFile> {
  const files = new Map<string, ResultsFile>();
  for (const file of readdirSync(results)) {
    const suite = /^(.+)-latest\.json$/.exec(file)?.[1];
    if (suite !== undefined)
      files.set(suite, JSON.parse(readFileSync(new URL(file, results), 'utf8')));
  }
  return files;
}

test('npm run bench:charts: every scenario of the committed results renders to an SVG chart', async () => {
  const files = committed();
  assert.ok(files.size >= 4, 'the async, thread, net and queue results are committed');
  const charts = new Map((await renderAll(results)).map((c) => [c.name, c.svg]));
  for (const [suite, file] of files) {
    for (const scenario of file.scenarios) {
      const svg = charts.get(`${suite}-${scenario.id}`);
      assert.ok(svg !== undefined, `${suite} scenario ${scenario.id} has a chart`);
      assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.ok(svg.trimEnd().endsWith('</svg>'));
      assert.ok(svg.includes('<rect') || svg.includes('<path'), 'it has bars');
      for (const { contender } of scenario.results) {
        assert.ok(svg.includes(`>${contender}`), `${suite}-${scenario.id} names ${contender}`);
      }
      // The caption: Node version, machine, date.
      assert.ok(svg.includes(`Node ${file.system.node}`), `${suite}-${scenario.id}: Node version`);
      assert.ok(svg.includes(file.date.slice(0, 10)), `${suite}-${scenario.id}: date`);
      assert.ok(svg.includes('cores'), `${suite}-${scenario.id}: machine`);
    }
  }
});

test('a suite, scenario and metric the renderer does not know still render, from the shape', async () => {
  const [chart, ...rest] = await renderSuite('future', {
    date: '2030-01-02T03:04:05.000Z',
    system: { node: 'v99.0.0', cpu: 'Some CPU', cores: 64, platform: 'linux arm64' },
    scenarios: [
      {
        id: 'x 1',
        title: 'a scenario nobody wrote yet',
        results: [
          { contender: 'antpool', median: { widgetsPerSec: 1000, coldStartMs: 4 } },
          { contender: 'other', median: { widgetsPerSec: 250, coldStartMs: 9 } },
        ],
      },
    ],
  });
  assert.equal(rest.length, 0);
  assert.equal(chart?.name, 'future-x-1');
  const svg = chart!.svg;
  assert.ok(svg.includes('widgets/s'), 'fooPerSec reads as foo/s');
  assert.ok(svg.includes('cold start (ms)'), 'fooMs reads as foo (ms)');
  assert.ok(svg.includes("widgets/s ÷ antpool's"), 'a ratio panel against the first contender');
  assert.ok(svg.includes('0.25x'));
  assert.ok(svg.includes('Node v99.0.0 · Some CPU, 64 cores, linux arm64 · 2030-01-02'));
});

test('a results file without scenarios is an error that says where', async () => {
  await assert.rejects(renderSuite('broken', { scenarios: [{ id: 1 }] }), {
    message: 'scenarios[0].results is not an array',
  });
});
