import { spawn } from 'node:child_process';

/** How to start one child: a plain `node` process, never under a loader such as tsx. */
export interface NodeChild {
  /** Path of the `.js`/`.mjs` script to run. */
  readonly script: string;
  /** Arguments for the script. */
  readonly args?: readonly string[];
  /** Flags for node itself, before the script (e.g. `--max-old-space-size=4096`). */
  readonly nodeArgs?: readonly string[];
}

/**
 * Runs `node [nodeArgs] script [args]` to completion and resolves with the last non-empty line
 * it printed on stdout. Rejects with the child's stderr when it exits non-zero or is killed.
 */
export function runNode({ script, args = [], nodeArgs = [] }: NodeChild): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const command = `node ${[...nodeArgs, script, ...args].join(' ')}`;
      if (code !== 0) {
        const why = signal === null ? `exited with code ${code}` : `was killed by ${signal}`;
        reject(new Error(`${command} ${why}\n${stderr.trim()}`));
        return;
      }
      const lines = stdout.split('\n').filter((line) => line.trim() !== '');
      const last = lines.at(-1);
      if (last === undefined) reject(new Error(`${command} printed nothing\n${stderr.trim()}`));
      else resolve(last);
    });
  });
}
