/**
 * Every contender of the thread benchmark behind one interface, a {@link Runner}. Each pool gets
 * exactly `threads` threads and is otherwise left at its library's defaults; each loads its own
 * module from `./workers/`, which all compute the functions of `./workers/tasks.mjs`.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { add, fib, spin } from './workers/tasks.mjs';

/** @typedef {'add' | 'fib' | 'spin' | 'sleepFib' | 'tally' | 'exit'} TaskName */

/**
 * A contender ready to take tasks: `run` resolves with the named task function applied to `arg`
 * (a `signal` is honoured by the chaos contenders only); `close` shuts the pool down and resolves
 * once its threads are gone. The chaos contenders also say whether faults are wanted and share
 * the tasks' start counters.
 * @typedef {object} Runner
 * @property {(name: TaskName, arg: unknown, signal?: AbortSignal) => Promise<unknown>} run
 * @property {() => Promise<unknown>} close
 * @property {boolean} [faults]
 * @property {Uint8Array} [started]
 */

/** @typedef {(threads: number) => Promise<Runner>} Contender */

/** @param {string} file a module in ./workers/ */
const worker = (file) => new URL(`./workers/${file}`, import.meta.url);

/** @type {Record<TaskName, (arg: never) => number>} */
const INLINE_TASKS = { add, fib, spin };

/**
 * antpool's `ThreadPool` from the build (`npm run bench:thread` builds first).
 * @param {{ localQueueSize?: number, workStealing?: boolean, concurrentTasksPerThread?: number }} options the options that differ
 *   from antpool's defaults
 * @returns {Contender}
 */
const antpool = (options) => async (threads) => {
  const { ThreadPool } = await import('../../dist/thread/index.js');
  const pool = new ThreadPool({ ...options, filename: worker('antpool.mjs'), size: threads });
  return {
    run: (name, arg) => pool.run(arg, { name }),
    close: () => pool.releaseTimeout(10_000),
  };
};

/** Async tasks one thread runs at once in the async scenario (8), for antpool and piscina alike. */
export const CONCURRENT_TASKS = 64;

/** Tasks of the chaos scenario each have a start counter here: no run may start one twice. */
export const CHAOS_SLOTS = 2 ** 21;

/**
 * antpool for the chaos scenario (7): the pool's threads count every start of a `tally` task in
 * `started` (their workerData). With `faults`, the work makes some tasks exit their thread and
 * aborts others; thread deaths are expected there, so the pool logs nothing.
 * @param {boolean} faults
 * @returns {Contender}
 */
const chaos = (faults) => async (threads) => {
  const { ThreadPool } = await import('../../dist/thread/index.js');
  const started = new Uint8Array(new SharedArrayBuffer(CHAOS_SLOTS));
  const pool = new ThreadPool({
    filename: worker('antpool.mjs'),
    size: threads,
    workerData: started.buffer,
    logger: { error: () => {} },
  });
  return {
    faults,
    started,
    run: (name, arg, signal) => pool.run(arg, { name, signal }),
    close: () => pool.releaseTimeout(10_000),
  };
};

/**
 * Waits for `closing`, but at most `ms` milliseconds. poolifier's `destroy()` sometimes never
 * settles (a thread that exits before `terminate()` listens for its 'exit'), and as its threads
 * are unref'd by then, the child would end with exit code 13 (unsettled top-level await) after
 * its work was measured; the timer keeps the process alive until it gives up.
 * @param {Promise<unknown>} closing
 * @param {number} ms
 */
async function closeWithin(closing, ms) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([closing, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A fresh `node:worker_threads` Worker for every task, at most `threads` alive at once: a task
 * waits for a free lane, then for its thread to post the result and exit.
 * @type {Contender}
 */
async function newWorkerPerTask(threads) {
  const file = worker('new-worker.mjs');
  let alive = 0;
  /** @type {(() => void)[]} */
  const waiting = [];
  const release = () => {
    alive--;
    waiting.shift()?.();
  };
  /** @param {TaskName} name @param {unknown} arg */
  const once = (name, arg) =>
    new Promise((resolve, reject) => {
      const thread = new Worker(file, { workerData: { name, arg } });
      /** @type {unknown} */
      let result;
      thread.once('message', (value) => {
        result = value;
      });
      thread.once('error', reject);
      thread.once('exit', (code) => {
        if (code === 0) resolve(result);
        else reject(new Error(`worker exited with code ${code}`));
      });
    });
  return {
    async run(name, arg) {
      if (alive >= threads) await new Promise((resolve) => waiting.push(() => resolve(undefined)));
      alive++;
      try {
        return await once(name, arg);
      } finally {
        release();
      }
    },
    close: async () => {},
  };
}

/**
 * The machine's own ceiling, not a pool: `threads` plain threads, each handed its share of the
 * tasks submitted in one tick as one message, answering with one message. What is left between
 * it and a pool is the pool's cost; what is left between it and `threads` times one thread is
 * the machine's.
 * @type {Contender}
 */
async function bareThreads(threads) {
  /** @typedef {{ name: TaskName, arg: unknown, resolve: (value: unknown) => void }} Task */
  const lanes = Array.from({ length: threads }, () => {
    const thread = new Worker(worker('bare.mjs'));
    /** @type {Task[][]} batches sent, answered in order */
    const sent = [];
    thread.on('message', (/** @type {unknown[]} */ results) => {
      const tasks = sent.shift() ?? [];
      for (const [at, result] of results.entries()) tasks[at]?.resolve(result);
    });
    return { thread, sent };
  });
  /** @type {Task[]} */
  let batch = [];
  const send = () => {
    const share = Math.ceil(batch.length / threads);
    lanes.forEach(({ thread, sent }, k) => {
      const tasks = batch.slice(k * share, (k + 1) * share);
      if (tasks.length === 0) return;
      sent.push(tasks);
      thread.postMessage(tasks.map(({ name, arg }) => [name, arg]));
    });
    batch = [];
  };
  return {
    run: (name, arg) =>
      new Promise((resolve) => {
        if (batch.length === 0) setImmediate(send);
        batch.push({ name, arg, resolve });
      }),
    close: () => Promise.all(lanes.map(({ thread }) => thread.terminate())),
  };
}

/** @type {Record<string, Contender>} */
export const CONTENDERS = {
  antpool: antpool({}),
  'antpool (localQueueSize 1)': antpool({ localQueueSize: 1 }),
  'antpool (no stealing)': antpool({ workStealing: false }),
  'antpool (niceIncrement 5)': antpool({ niceIncrement: 5 }),
  [`antpool (concurrentTasksPerThread ${CONCURRENT_TASKS})`]: antpool({
    concurrentTasksPerThread: CONCURRENT_TASKS,
  }),
  'antpool (no faults)': chaos(false),
  'antpool (faults)': chaos(true),
  piscina: async (threads) => {
    const { Piscina } = await import('piscina');
    const pool = new Piscina({
      filename: worker('piscina.mjs').href,
      minThreads: threads,
      maxThreads: threads,
    });
    return { run: (name, arg) => pool.run(arg, { name }), close: () => pool.destroy() };
  },
  [`piscina (concurrentTasksPerWorker ${CONCURRENT_TASKS})`]: async (threads) => {
    const { Piscina } = await import('piscina');
    const pool = new Piscina({
      filename: worker('piscina.mjs').href,
      minThreads: threads,
      maxThreads: threads,
      concurrentTasksPerWorker: CONCURRENT_TASKS,
    });
    return { run: (name, arg) => pool.run(arg, { name }), close: () => pool.destroy() };
  },
  tinypool: async (threads) => {
    const { Tinypool } = await import('tinypool');
    const pool = new Tinypool({
      filename: worker('tinypool.mjs').href,
      minThreads: threads,
      maxThreads: threads,
    });
    return { run: (name, arg) => pool.run(arg, { name }), close: () => pool.destroy() };
  },
  workerpool: async (threads) => {
    const { default: workerpool } = await import('workerpool');
    const pool = workerpool.pool(fileURLToPath(worker('workerpool.mjs')), {
      minWorkers: threads,
      maxWorkers: threads,
      workerType: 'thread',
    });
    return {
      run: (name, arg) => Promise.resolve(pool.exec(name, [arg])),
      close: () => Promise.resolve(pool.terminate()),
    };
  },
  poolifier: async (threads) => {
    const { FixedThreadPool } = await import('poolifier');
    const pool = new FixedThreadPool(threads, fileURLToPath(worker('poolifier.mjs')));
    return {
      run: (name, arg) => pool.execute(arg, name),
      close: () => closeWithin(pool.destroy(), 2_000),
    };
  },
  'new Worker per task': newWorkerPerTask,
  'bare threads': bareThreads,
  /** The same functions called on the main thread: what the pools keep off the event loop. */
  inline: async () => ({
    run: (name, arg) => Promise.resolve(INLINE_TASKS[name](/** @type {never} */ (arg))),
    close: async () => {},
  }),
};
