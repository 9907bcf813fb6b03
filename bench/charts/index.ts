// npm run bench:charts: every bench/results/<suite>-latest.json to docs/charts/<suite>-<id>.svg,
// one chart per scenario; charts of scenarios no results file has any more are deleted.
// `-- --check` writes nothing and fails when the committed charts differ from what the committed
// results render to (CI runs it, so a results file is never committed without its charts).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { renderAll } from './render.js';

const out = new URL('../../docs/charts/', import.meta.url);
const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });

const charts = await renderAll(new URL('../results/', import.meta.url));
mkdirSync(out, { recursive: true });
const wanted = new Set(charts.map((c) => `${c.name}.svg`));
const present = readdirSync(out).filter((f) => f.endsWith('.svg'));
if (values.check) {
  const stale = charts.filter((c) => read(`${c.name}.svg`) !== c.svg).map((c) => `${c.name}.svg`);
  const extra = present.filter((f) => !wanted.has(f));
  if (stale.length + extra.length > 0) {
    console.error(`docs/charts is not what bench/results renders to: run npm run bench:charts
  missing or different: ${stale.join(', ') || 'none'}
  no results for: ${extra.join(', ') || 'none'}`);
    process.exit(1);
  }
  console.log(`docs/charts: ${charts.length} charts, up to date`);
} else {
  for (const file of present) if (!wanted.has(file)) rmSync(new URL(file, out));
  for (const c of charts) writeFileSync(new URL(`${c.name}.svg`, out), c.svg);
  console.log(`docs/charts: ${[...wanted].join(', ')}`);
}

function read(file: string): string | undefined {
  try {
    return readFileSync(new URL(file, out), 'utf8');
  } catch {
    return undefined;
  }
}
