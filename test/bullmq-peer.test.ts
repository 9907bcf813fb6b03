import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

test('without bullmq installed, importing antpool/bullmq says what to install; the core still loads', (t) => {
  // The built package alone, where no node_modules can be found: as installed without the peers.
  const dir = mkdtempSync(join(tmpdir(), 'antpool-no-peers-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true });
  cpSync(join(root, 'package.json'), join(dir, 'package.json'));
  const run = (source: string): string =>
    execFileSync(process.execPath, ['--input-type=module', '-e', source], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 30_000,
    });
  const out = run(`
    try {
      await import('antpool/bullmq');
      console.log('loaded');
    } catch (err) {
      console.log(err.message);
    }
    const { Pool } = await import('antpool');
    console.log(await new Pool(1).run(() => 'core ok'));
  `);
  const [message, core] = out.trim().split('\n');
  assert.match(message!, /antpool\/bullmq needs the packages bullmq \(6\) and ioredis/);
  assert.match(message!, /npm install bullmq@6 ioredis/);
  assert.equal(core, 'core ok');
});
