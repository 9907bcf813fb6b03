/**
 * The entry of every pool thread: loads the task module, then runs the tasks it is sent, one at
 * a time, in order, answering each with a result message.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { isThenable } from '../internal/task.js';
import { serializeError } from './error-codec.js';
import type { FromThread, RunMessage, ToThread } from './messages.js';

type TaskModule = Record<string, unknown>;

const port = parentPort!;
const queue: RunMessage[] = []; // the thread's local run queue
let taskModule: TaskModule | undefined;
let busy = false;

const post = (message: FromThread): void => port.postMessage(message);

port.on('message', (message: ToThread) => {
  if (message.type === 'init') void load(message.filename);
  else if (message.type === 'drop') post({ type: 'dropped', count: queue.splice(0).length });
  else {
    queue.push(message);
    if (!busy) drain();
  }
});

async function load(url: string): Promise<void> {
  try {
    taskModule = await importModule(url);
  } catch (err) {
    busy = true; // take no task: the main thread rejects them with this error
    post({ type: 'load-error', error: serializeError(err) });
    return;
  }
  post({ type: 'ready' });
  drain();
}

async function importModule(url: string): Promise<TaskModule> {
  try {
    return (await import(url)) as TaskModule;
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
    // Node 20 gives a thread the ESM loaders of its execArgv only in the main thread; a loader
    // that also hooks require (tsx does) still compiles the module through require().
    return { default: createRequire(url)(fileURLToPath(url)) } as TaskModule;
  }
}

// Runs queued tasks; a synchronous task does not yield, an async one resumes the loop when done.
function drain(): void {
  if (taskModule === undefined) return;
  while (queue.length > 0) {
    const pending = run(queue.shift()!);
    if (pending !== undefined) {
      busy = true;
      pending.then(() => {
        busy = false;
        drain();
      });
      return;
    }
  }
}

function run({ id, name, arg }: RunMessage): Promise<void> | undefined {
  let value: unknown;
  try {
    value = exported(name)(arg);
  } catch (err) {
    fail(id, err);
    return undefined;
  }
  if (!isThenable(value)) {
    succeed(id, value);
    return undefined;
  }
  return Promise.resolve(value).then(
    (result) => succeed(id, result),
    (err: unknown) => fail(id, err),
  );
}

function exported(name: string): (arg: unknown) => unknown {
  const mod = taskModule!;
  // CommonJS and compiled TypeScript put exports under `default`, sometimes twice.
  const fn = [mod[name], (mod.default as TaskModule | undefined)?.[name]].find(isFunction);
  if (fn !== undefined) return fn;
  throw new TypeError(`The task module has no function export named "${name}"`);
}

function succeed(id: number, value: unknown): void {
  try {
    post({ type: 'result', id, ok: true, value });
  } catch (err) {
    fail(id, err); // DataCloneError: the result cannot be sent back
  }
}

function fail(id: number, err: unknown): void {
  post({ type: 'result', id, ok: false, error: serializeError(err) });
}

function isFunction(value: unknown): value is (arg: unknown) => unknown {
  return typeof value === 'function';
}
