import { Worker } from 'node:worker_threads';
import type { FromLoop, ListenSpec, RemoteSettings, ToLoop } from './loop-messages.js';
import { type RemoteEvents, RemoteLoop } from './remote-loop.js';

/**
 * An event loop in a worker thread of this process: it listens itself on loop 0's addresses with
 * `reusePort`, and the kernel spreads connections (and datagrams) over every loop. Its
 * connection count is one shared Int32, written by the thread, read here.
 */
export class ThreadLoop extends RemoteLoop {
  readonly kind = 'thread';
  /** [0]: the thread's connections. Written only by the thread (Atomics.store). */
  readonly #counter = new Int32Array(new SharedArrayBuffer(4));
  readonly #worker: Worker;
  #exited = false;

  private constructor(worker: Worker, events: RemoteEvents) {
    super(events);
    this.#worker = worker;
    worker.on('message', (message: FromLoop) => this.received(message));
    worker.on('error', (err) => this.crashed(err)); // uncaught in the thread: 'exit' follows
    worker.once('exit', (code) => {
      this.#exited = true;
      this.ended(`exited with code ${code}`);
    });
  }

  /** Starts a loop thread; resolves once it loaded `handler` (a module URL) and listens. */
  static async start(
    handler: string,
    settings: RemoteSettings,
    listen: ListenSpec,
    events: RemoteEvents,
  ): Promise<ThreadLoop> {
    const loop = new ThreadLoop(startWorker(), events);
    await loop.boot({ type: 'init', handler, settings, listen, counter: loop.#counter.buffer });
    return loop;
  }

  override get connections(): number {
    return this.#exited ? 0 : Atomics.load(this.#counter, 0);
  }

  protected override post(message: ToLoop): void {
    if (!this.#exited) this.#worker.postMessage(message);
  }

  protected override kill(): void {
    void this.#worker.terminate();
  }
}

/**
 * A loop thread inherits the process' Node options, as a loop process does. Node refuses
 * `--input-type` for a thread that runs a file: then the thread starts from a line of code that
 * imports the entry (such a thread skips `--import` preloads, so it is not the rule), as
 * ThreadPool's threads do.
 */
function startWorker(): Worker {
  const url = entryUrl();
  if (!process.execArgv.some(isInputType)) return new Worker(url);
  return new Worker(`import(${JSON.stringify(url.href)})`, { eval: true });
}

function isInputType(arg: string): boolean {
  return arg === '--input-type' || arg.startsWith('--input-type=');
}

// From the TypeScript sources (the test suite) the entry comes from the build.
function entryUrl(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL('../../dist/net/loop-thread.js', here);
  return new URL('./loop-thread.js', here);
}
