import { type ChildProcess, spawn } from 'node:child_process';

/** How to start one child: a plain `node` process, never under a loader such as tsx. */
export interface NodeChild {
  /** Path of the `.js`/`.mjs` script to run. */
  readonly script: string;
  /** Arguments for the script. */
  readonly args?: readonly string[];
  /** Flags for node itself, before the script (e.g. `--max-old-space-size=4096`). */
  readonly nodeArgs?: readonly string[];
}

/** A child that keeps running, e.g. a server under load: what it printed first, and its end. */
export interface RunningChild {
  /** The first non-empty line it printed on stdout (a server: where it listens). */
  readonly line: string;
  /**
   * Closes its stdin (the child's cue to stop) and resolves once it exited; kills it after
   * `graceMs`. Rejects with its stderr when it exits non-zero or had to be killed.
   */
  stop(graceMs?: number): Promise<void>;
}

/** `node [nodeArgs] script [args]` as a command line for `spawn`. */
function nodeCommand({ script, args = [], nodeArgs = [] }: NodeChild): string[] {
  return [...nodeArgs, script, ...args];
}

/** A child's stdout and stderr, collected as text. */
function collect(child: ChildProcess): { stdout: () => string; stderr: () => string } {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return { stdout: () => stdout, stderr: () => stderr };
}

/** The error of a child that failed: its command line, how it ended, then its stderr. */
function failure(shown: string, code: number | null, signal: string | null, stderr: string) {
  const why = signal === null ? `exited with code ${code}` : `was killed by ${signal}`;
  return new Error(`${shown} ${why}\n${stderr.trim()}`);
}

const nonEmptyLines = (text: string): string[] => text.split('\n').filter((l) => l.trim() !== '');

/**
 * Runs `command [args]` to completion and resolves with the last non-empty line it printed on
 * stdout. Rejects with the child's stderr when it cannot start, exits non-zero or is killed;
 * errors name the command as `name`.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  name = command,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const output = collect(child);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const shown = `${name} ${args.join(' ')}`;
      if (code !== 0) {
        reject(failure(shown, code, signal, output.stderr()));
        return;
      }
      const last = nonEmptyLines(output.stdout()).at(-1);
      if (last === undefined) reject(new Error(`${shown} printed nothing\n${output.stderr()}`));
      else resolve(last);
    });
  });
}

/**
 * Runs `node [nodeArgs] script [args]` to completion and resolves with the last non-empty line
 * it printed on stdout. Rejects with the child's stderr when it exits non-zero or is killed.
 */
export function runNode(child: NodeChild): Promise<string> {
  return runCommand(process.execPath, nodeCommand(child), 'node');
}

/**
 * Starts `node [nodeArgs] script [args]` with a pipe as its stdin and resolves once it printed
 * its first line on stdout; the child runs on until {@link RunningChild.stop}. Rejects with its
 * stderr when it exits before printing a line.
 */
export function startNode(child: NodeChild): Promise<RunningChild> {
  const args = nodeCommand(child);
  const shown = `node ${args.join(' ')}`;
  const proc = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const output = collect(proc);
  const closed = new Promise<void>((resolve, reject) => {
    proc.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(failure(shown, code, signal, output.stderr()));
    });
  });
  const stop = async (graceMs = 5_000): Promise<void> => {
    proc.stdin?.end();
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    await closed.finally(() => clearTimeout(timer));
  };
  return new Promise((resolve, reject) => {
    const onData = (): void => {
      const text = output.stdout();
      const first = nonEmptyLines(text.slice(0, text.lastIndexOf('\n') + 1))[0];
      if (first === undefined) return;
      proc.stdout?.off('data', onData);
      resolve({ line: first, stop });
    };
    proc.stdout?.on('data', onData);
    proc.on('error', reject);
    closed.then(
      () => reject(new Error(`${shown} exited before printing a line\n${output.stderr()}`)),
      reject,
    );
  });
}
