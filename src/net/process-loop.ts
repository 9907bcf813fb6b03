import { type ChildProcess, fork } from 'node:child_process';
import type { Socket } from 'node:net';
import { execArgvWithout } from '../internal/exec-argv.js';
import { entryUrl } from '../internal/start-thread.js';
import type { FromLoop, RemoteSettings, ToLoop } from './loop-messages.js';
import { type RemoteEvents, RemoteLoop } from './remote-loop.js';

/**
 * An event loop in a child process (the main-reactor model): loop 0 accepts every connection
 * and hands the ones the balancer picks to it over IPC (the socket's handle moves; loop 0 no
 * longer reads it), and it reports each one closed.
 */
export class ProcessLoop extends RemoteLoop {
  readonly kind = 'process';
  #connections = 0;
  readonly #child: ChildProcess;

  private constructor(child: ChildProcess, events: RemoteEvents) {
    super(events);
    this.#child = child;
    child.on('message', (message: FromLoop) => this.received(message));
    child.on('error', () => {}); // a send to a dead loop: accept() already handles it
    child.once('exit', (code, signal) => {
      this.#connections = 0;
      this.ended(signal === null ? `exited with code ${code}` : `was killed by ${signal}`);
    });
  }

  /** Forks a loop process; resolves once it loaded `handler` (a module URL). */
  static async start(
    handler: string,
    settings: RemoteSettings,
    events: RemoteEvents,
  ): Promise<ProcessLoop> {
    const child = fork(entryUrl(import.meta.url, 'net', 'loop-process.js'), [], {
      execArgv: execArgvWithout(['-e', '--eval', '-p', '--print', '--input-type']),
      serialization: 'advanced',
    });
    const loop = new ProcessLoop(child, events);
    await loop.boot({ type: 'init', handler, settings });
    return loop;
  }

  override get connections(): number {
    return this.#connections;
  }

  /** Ready, and its IPC channel still open (a dying process closes it before it exits). */
  override get alive(): boolean {
    return super.alive && this.#child.connected;
  }

  /** Hands `socket`, accepted on `local`, to this loop. */
  accept(socket: Socket, local: string): void {
    this.#connections++;
    this.#child.send({ type: 'conn', local } satisfies ToLoop, socket, (err) => {
      if (err === null) return;
      this.#connections--;
      socket.destroy();
    });
  }

  protected override received(message: FromLoop): void {
    if (message.type === 'closed') this.#connections--;
    else super.received(message);
  }

  protected override post(message: ToLoop): void {
    if (this.#child.connected) this.#child.send(message);
  }

  protected override kill(): void {
    this.#child.kill('SIGKILL');
  }
}
