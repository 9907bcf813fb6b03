import type { Worker } from 'node:worker_threads';
import { entryUrl, startThread } from '../internal/start-thread.js';
import type { FromLoop, ListenSpec, RemoteSettings, ToLoop } from './loop-messages.js';
import { type RemoteEvents, RemoteLoop } from './remote-loop.js';

/**
 * An event loop in a worker thread of this process: it listens itself on loop 0's addresses with
 * `reusePort`, and the kernel spreads connections (and datagrams) over every loop. Its
 * connection count is one shared Int32, written by the thread, read here.
 */
export class ThreadLoop extends RemoteLoop {
  readonly kind = 'thread';
  /** [0]: the thread's connections, [1]: its refusals. Written only by the thread (Atomics.store). */
  readonly #counter = new Int32Array(new SharedArrayBuffer(8));
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
    const loop = new ThreadLoop(
      startThread(entryUrl(import.meta.url, 'net', 'loop-thread.js')),
      events,
    );
    await loop.boot({ type: 'init', handler, settings, listen, counter: loop.#counter.buffer });
    return loop;
  }

  override get connections(): number {
    return this.#exited ? 0 : Atomics.load(this.#counter, 0);
  }

  override get refused(): number {
    return Atomics.load(this.#counter, 1);
  }

  protected override post(message: ToLoop): void {
    if (!this.#exited) this.#worker.postMessage(message);
  }

  protected override kill(): void {
    void this.#worker.terminate();
  }
}
