/**
 * The entry of every pool thread: maps its run queue, loads the task module, then lets its
 * {@link Processor} run tasks from the queue, the port and its peers.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { serializeError } from './error-codec.js';
import type { FromThread, ToThread } from './messages.js';
import { Processor } from './processor.js';
import { RunQueue } from './run-queue.js';
import { lowerThreadPriority } from './thread-priority.js';

type TaskModule = Record<string, unknown>;
type TaskFunction = (arg: unknown) => unknown;

const port = parentPort!;
const post = (message: FromThread): void => port.postMessage(message);
let processor: Processor | undefined;

port.on('message', (message: ToThread) => {
  switch (message.type) {
    case 'init':
      lowerThreadPriority(message.niceIncrement);
      processor = new Processor(new RunQueue(message.queue), message.stealing, post, {
        maxTasks: message.maxTasks,
        maxHeapUsed: message.maxHeapUsed,
      });
      processor.peers(message.peers);
      void load(message.filename, processor);
      break;
    case 'run':
      processor!.mail(message);
      break;
    case 'peers':
      processor!.peers(message.queues);
      break;
    case 'stop':
      processor!.stop();
      break;
  }
});

async function load(url: string, into: Processor): Promise<void> {
  let taskModule: TaskModule;
  try {
    taskModule = await importModule(url);
  } catch (err) {
    post({ type: 'load-error', error: serializeError(err) }); // the processor never starts
    return;
  }
  post({ type: 'ready' });
  into.start(runner(taskModule));
}

async function importModule(url: string): Promise<TaskModule> {
  try {
    return (await import(url)) as TaskModule;
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
    // Node 20 gives a thread the ESM loaders of its execArgv only in the main thread; a loader
    // that also hooks require (tsx does) still compiles the module through require().
    try {
      return { default: createRequire(url)(fileURLToPath(url)) } as TaskModule;
    } catch {
      throw err; // no loader at all: the import's error says why (a .ts file on Node 20)
    }
  }
}

// Export lookups are cached by name: most pools call one export.
function runner(taskModule: TaskModule): (name: string, arg: unknown) => unknown {
  let lastName = '';
  let last: TaskFunction | undefined;
  return (name, arg) => {
    if (name !== lastName || last === undefined) {
      last = exported(taskModule, name);
      lastName = name;
    }
    return last(arg);
  };
}

function exported(taskModule: TaskModule, name: string): TaskFunction {
  // CommonJS and compiled TypeScript put exports under `default`, sometimes twice.
  const fn = [taskModule[name], (taskModule.default as TaskModule | undefined)?.[name]].find(
    isFunction,
  );
  if (fn !== undefined) return fn;
  throw new TypeError(`The task module has no function export named "${name}"`);
}

function isFunction(value: unknown): value is TaskFunction {
  return typeof value === 'function';
}
