// Renders one bench results file (bench/results/<suite>-latest.json) to SVG charts, one per
// scenario, with Vega-Lite compiled to Vega and Vega's SVG renderer: no browser, no canvas.
// The file is read by shape, not by suite: every scenario with a `results` array of
// `{ contender, median: { metric: number } }` (or the metrics beside `contender`, as the async
// suite writes them) becomes a panel of bars per metric plus one of ratios to the baseline.
import { readdirSync, readFileSync } from 'node:fs';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { charted, headline, metricInfo } from './metrics.js';

/** One scenario's chart: `name` is `<suite>-<scenario id>`, the SVG file's name. */
export interface Chart {
  readonly name: string;
  readonly svg: string;
}

interface Row {
  readonly contender: string;
  readonly metrics: ReadonlyMap<string, number>;
}

interface Scenario {
  readonly id: string;
  readonly title: string;
  readonly baseline: string;
  readonly rows: readonly Row[];
  readonly targets: readonly { met: boolean }[];
}

const BAR = { ours: '#d9480f', variant: '#f4a261', peer: '#8d99ae' };

/** The charts of every `<suite>-latest.json` in `dir`, suites in name order. */
export async function renderAll(dir: URL): Promise<Chart[]> {
  const charts: Chart[] = [];
  for (const file of readdirSync(dir).sort()) {
    const suite = /^(.+)-latest\.json$/.exec(file)?.[1];
    if (suite === undefined) continue;
    const json: unknown = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
    charts.push(...(await renderSuite(suite, json)));
  }
  return charts;
}

/** The charts of one results file; throws on a file that has no scenarios to draw. */
export async function renderSuite(suite: string, json: unknown): Promise<Chart[]> {
  const file = record(json, `bench/results/${suite}-latest.json`);
  const scenarios = array(file.scenarios, 'scenarios').map((s, i) => scenario(s, i));
  const caption = captionOf(suite, file);
  const charts: Chart[] = [];
  for (const s of scenarios) {
    const spec = chartSpec(suite, s, caption);
    const view = new View(parse(compile(spec).spec), { renderer: 'none' });
    charts.push({ name: `${suite}-${slug(s.id)}`, svg: `${await view.toSVG()}\n` });
    view.finalize();
  }
  return charts;
}

function chartSpec(suite: string, s: Scenario, caption: string[]): TopLevelSpec {
  const names = metricNames(s.rows).filter(charted);
  const panels = names.map((name) => panel(metricInfo(name).label, values(s, name)));
  const main = headline(names);
  const base = s.rows.find((r) => r.contender === s.baseline)?.metrics.get(main ?? '');
  if (main !== undefined && base !== undefined && base !== 0) {
    const ratios = values(s, main).map((v) => ({ ...v, value: v.value / base }));
    const label = `${metricInfo(main).label} ÷ ${s.baseline}'s`;
    const ratio = (r: number) => `${r >= 0.01 ? r.toFixed(2) : r.toPrecision(2)}x`;
    panels.push(panel(label, ratios, ratio, '~g'));
  }
  const met = s.targets.filter((t) => t.met).length;
  const targets =
    s.targets.length > 0 ? [`targets: ${met} met, ${s.targets.length - met} missed`] : [];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `Bar charts of ${suite} benchmark scenario ${s.id} (${s.title}) per contender`,
    title: {
      text: wrap(`${suite} ${s.id}: ${s.title}`, 90),
      subtitle: [...caption.slice(0, 1), [...caption.slice(1), ...targets].join(' · ')],
      anchor: 'start',
      fontSize: 14,
      subtitleFontSize: 11,
      subtitleColor: '#555',
    },
    background: 'white',
    padding: 12,
    config: { font: 'Helvetica, Arial, sans-serif', view: { stroke: null } },
    columns: 2,
    spacing: { row: 20, column: 40 },
    concat: panels,
  } as TopLevelSpec;
}

interface Bar {
  readonly contender: string;
  readonly value: number;
  readonly kind: keyof typeof BAR;
}

function values(s: Scenario, name: string): Bar[] {
  const bars: Bar[] = [];
  for (const row of s.rows) {
    const value = row.metrics.get(name);
    if (value === undefined) continue;
    const kind =
      row.contender === s.baseline
        ? 'ours'
        : row.contender.startsWith(`${s.baseline} (`)
          ? 'variant'
          : 'peer';
    bars.push({ contender: nameOf(s, row), value, kind });
  }
  return bars;
}

// Bars of one metric per contender, each labelled with its value. A metric spanning more than
// two orders of magnitude (a new Worker per task against a pool) gets a log scale, so the
// small bars stay visible; its title says so.
function panel(title: string, bars: Bar[], format = formatNumber, logFormat = '~s') {
  const positive = bars.map((b) => b.value).filter((v) => v > 0);
  const max = Math.max(0, ...bars.map((b) => b.value));
  const log = positive.length === bars.length && max / Math.min(...positive) >= 100;
  const domain = log ? [Math.min(...positive) / 2, max * 8] : [0, max * 1.35 || 1];
  const x = {
    field: 'value',
    type: 'quantitative',
    scale: { type: log ? 'log' : 'linear', domain, nice: false },
    axis: {
      title: null,
      tickCount: log ? 3 : 4,
      grid: true,
      ...(log ? { format: logFormat } : {}),
    },
  };
  // On a log scale a bar has no zero to start from: it starts at the domain's low end.
  const x2 = log ? { x2: { datum: domain[0] } } : {};
  return {
    title: { text: log ? `${title}, log scale` : title, fontSize: 12, anchor: 'start' },
    width: 220,
    height: { step: 17 },
    data: { values: bars.map((b) => ({ ...b, label: format(b.value) })) },
    encoding: {
      y: {
        field: 'contender',
        type: 'nominal',
        sort: null,
        axis: { title: null, labelLimit: 280 },
      },
    },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          x,
          ...x2,
          color: {
            field: 'kind',
            type: 'nominal',
            scale: { domain: Object.keys(BAR), range: Object.values(BAR) },
            legend: null,
          },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 3, fontSize: 10 },
        encoding: { x, text: { field: 'label' } },
      },
    ],
  };
}

// A contender that ran fewer tasks or jobs than the baseline (a new Worker per task runs 200 of
// 100,000) says so, since its bars are not for the same work.
function nameOf(s: Scenario, row: Row): string {
  const base = s.rows.find((r) => r.contender === s.baseline) ?? s.rows[0]!;
  for (const count of COUNTS) {
    const n = row.metrics.get(count);
    if (n !== undefined && n !== base.metrics.get(count)) {
      return `${row.contender} (${n.toLocaleString('en-US')} ${count})`;
    }
  }
  return row.contender;
}

const COUNTS = ['tasks', 'jobs'];

function captionOf(suite: string, file: Record<string, unknown>): string[] {
  const system = isRecord(file.system) ? file.system : {};
  const date = typeof file.date === 'string' ? file.date.slice(0, 10) : 'date unknown';
  const machine = [
    system.cpu,
    typeof system.cores === 'number' ? `${system.cores} cores` : undefined,
    system.platform,
  ].filter((part) => typeof part === 'string');
  const rounds = typeof file.rounds === 'number' ? file.rounds : undefined;
  return [
    `Node ${system.node ?? 'unknown'} · ${machine.join(', ') || 'machine unknown'} · ${date}`,
    rounds === undefined ? 'medians' : `medians of ${rounds} round${rounds === 1 ? '' : 's'}`,
    ...(file.quick === true ? ['quick mode'] : []),
    `npm run bench:${suite}`,
  ];
}

function scenario(value: unknown, index: number): Scenario {
  const where = `scenarios[${index}]`;
  const s = record(value, where);
  const rows = array(s.results, `${where}.results`).map((r, i) => row(r, `${where}.results[${i}]`));
  if (rows.length === 0) throw new Error(`${where}.results is empty`);
  const targets = Array.isArray(s.targets) ? s.targets.filter(isRecord) : [];
  return {
    id: String(s.id ?? index + 1),
    title: typeof s.title === 'string' ? s.title.replaceAll('`', '') : '',
    baseline: typeof s.baseline === 'string' ? s.baseline : rows[0]!.contender,
    rows,
    targets: targets.map((t) => ({ met: t.met === true })),
  };
}

function row(value: unknown, where: string): Row {
  const r = record(value, where);
  if (typeof r.contender !== 'string') throw new Error(`${where}.contender is not a string`);
  const source = isRecord(r.median) ? r.median : r;
  const metrics = new Map<string, number>();
  for (const [key, v] of Object.entries(source)) {
    if (typeof v === 'number' && Number.isFinite(v)) metrics.set(key, v);
  }
  return { contender: r.contender, metrics };
}

// Every metric any contender has, in the order they first appear.
function metricNames(rows: readonly Row[]): string[] {
  return [...new Set(rows.flatMap((r) => [...r.metrics.keys()]))];
}

function formatNumber(value: number): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits });
}

// Vega titles take an array of lines: break a long title at spaces.
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  return [...lines, line];
}

function slug(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]+/g, '-');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (!isRecord(value)) throw new Error(`${where} is not an object`);
  return value;
}

function array(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${where} is not an array`);
  return value;
}
