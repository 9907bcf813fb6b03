import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { test } from 'node:test';

const root = new URL('../', import.meta.url);

// The hand-written pages: README.md and docs/*.md (docs/api is TypeDoc's, which checks its own).
function pages(): string[] {
  const docs = readdirSync(new URL('docs/', root)).filter((f) => f.endsWith('.md'));
  return ['README.md', ...docs.map((f) => `docs/${f}`)];
}

test('the README is a front door: under 12 KB', () => {
  const size = statSync(new URL('README.md', root)).size;
  assert.ok(size < 12 * 1024, `README.md is ${size} bytes`);
});

test('every relative link and image of README.md and docs/*.md points at a file that exists', () => {
  const broken: string[] = [];
  for (const page of pages()) {
    const text = readFileSync(new URL(page, root), 'utf8').replace(/```[\s\S]*?```/g, '');
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!) || target!.startsWith('#')) continue;
      const file = target!.split('#')[0]!;
      if (!existsSync(new URL(file, new URL(page, root)))) broken.push(`${page}: ${target}`);
    }
  }
  assert.deepEqual(broken, []);
});
