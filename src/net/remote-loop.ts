import { type ChildProcess, fork } from 'node:child_process';
import type { Socket } from 'node:net';
import { execArgvWithout } from '../internal/exec-argv.js';
import type { CodecSpec } from './codec.js';
import { NetError } from './errors.js';

/** What a loop process is told at start: only what survives cloning. */
export interface RemoteSettings {
  readonly codec: CodecSpec | undefined;
  readonly readBufferCap: number;
  readonly writeBufferCap: number;
  readonly tcpKeepAlive: number | undefined;
}

/** Primary → loop process. A `conn` message carries the socket as its handle. */
export type ToLoop =
  | { type: 'init'; handler: string; settings: RemoteSettings }
  | { type: 'conn'; local: string }
  | { type: 'stop' };

/** Loop process → primary. */
export type FromLoop =
  | { type: 'ready' }
  | { type: 'load-error'; message: string }
  | { type: 'closed' }
  | { type: 'shutdown' };

/**
 * The primary's handle on an event loop in a child process: connections are handed to it over
 * IPC (the socket's handle moves; the primary no longer reads it) and it reports each one closed.
 */
export class RemoteLoop {
  /** Connections handed over and not yet reported closed. */
  connections = 0;
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  #running = true;

  private constructor(child: ChildProcess) {
    this.#child = child;
    this.#exited = new Promise((resolve) => {
      child.once('exit', () => {
        this.#running = false;
        this.connections = 0;
        resolve();
      });
    });
    child.on('error', () => {}); // a send to a dead loop: accept() already handles it
  }

  /** False once the process exited: the engine stops handing it connections. */
  get alive(): boolean {
    return this.#running && this.#child.connected;
  }

  /** True once the process exited. */
  get exited(): boolean {
    return !this.#running;
  }

  /** Forks a loop process; resolves once it loaded `handler` (a module URL). */
  static start(
    handler: string,
    settings: RemoteSettings,
    shutdown: () => void,
  ): Promise<RemoteLoop> {
    const child = fork(entryUrl(), [], {
      execArgv: execArgvWithout(['-e', '--eval', '-p', '--print', '--input-type']),
      serialization: 'advanced',
    });
    const loop = new RemoteLoop(child);
    return new Promise((resolve, reject) => {
      child.on('message', (message: FromLoop) => {
        if (message.type === 'ready') resolve(loop);
        else if (message.type === 'load-error')
          reject(new NetError('ERR_HANDLER_LOAD', message.message));
        else if (message.type === 'closed') loop.connections--;
        else shutdown();
      });
      child.once('exit', (code) =>
        reject(new NetError('ERR_LOOP_EXITED', `a loop process exited (${code})`)),
      );
      child.send({ type: 'init', handler, settings } satisfies ToLoop);
    });
  }

  accept(socket: Socket, local: string): void {
    this.connections++;
    this.#child.send({ type: 'conn', local } satisfies ToLoop, socket, (err) => {
      if (err === null) return;
      this.connections--;
      socket.destroy();
    });
  }

  /** Closes its connections and exits. */
  stop(): Promise<void> {
    if (this.#child.connected) this.#child.send({ type: 'stop' } satisfies ToLoop);
    return this.#exited;
  }
}

// From the TypeScript sources (the test suite) the entry comes from the build, as for threads.
function entryUrl(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL('../../dist/net/loop-process.js', here);
  return new URL('./loop-process.js', here);
}
