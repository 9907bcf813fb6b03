import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a thread running `entry` (a built module beside the caller, `dist/<dir>/<name>.js`).
 * A thread inherits the process' Node options, and Node refuses `--input-type` for a thread that
 * runs a file: then the thread starts from a line of code that imports the entry (such a thread
 * skips `--import` preloads, so it is not the rule).
 */
export function startThread(entry: URL, options: WorkerOptions = {}): Worker {
  const inputType = options.execArgv === undefined && process.execArgv.some(isInputType);
  if (!inputType) return new Worker(entry, options);
  return new Worker(`import(${JSON.stringify(entry.href)})`, { ...options, eval: true });
}

function isInputType(arg: string): boolean {
  return arg === '--input-type' || arg.startsWith('--input-type=');
}

/**
 * The URL of an entry `file` (a thread's, or a child process') in `dir` of the build. Built, it sits beside the caller
 * (`here`, its `import.meta.url`); from the TypeScript sources (the test suite runs them through
 * a loader) it is taken from the build: Node 20 starts a thread's entry without the parent's
 * ESM loaders.
 */
export function entryUrl(here: string, dir: string, file: string): URL {
  if (here.endsWith('.ts')) return new URL(`../../dist/${dir}/${file}`, here);
  return new URL(`./${file}`, here);
}
