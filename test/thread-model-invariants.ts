/**
 * The invariants of the ThreadPool model test, judged over a played {@link ModelRun} once
 * everything settled. Each states what SPEC.md §8 and notes/thread-lifecycle-semantics.md pin
 * down, and allows every race they leave open: see the comment on each.
 */
import { errorCode, type ModelRun, type TaskRecord } from './thread-model.js';

/** A task's body as the fixture saw it run: [start, end) in clock ticks. */
interface Span {
  task: TaskRecord;
  thread: number;
  start: number;
  /** Infinity: still running; undefined: ended at a moment nobody saw (a preempted invoke). */
  end: number | undefined;
}

/** Adds to `run.violations` every invariant the record breaks. */
export function judge(run: ModelRun): void {
  for (const t of run.tasks) judgeOutcome(run, t);
  const spans = bodies(run);
  judgeReleases(run, spans);
  judgeCap(run, spans);
  judgeThreads(run, spans);
  judgeIdle(run);
  judgeTimeouts(run);
}

// Each outcome must agree with what the task's body did (SPEC §2, §8).
function judgeOutcome(run: ModelRun, t: TaskRecord): void {
  const { tape, config } = run;
  const starts = tape.starts(t.id);
  const ended = tape.endTick(t.id) > 0;
  const what = run.describeTask(t);
  const bad = (why: string) => run.violate('outcome', `${what}: ${why}`);
  if (starts > 1) bad('its body began more than once');
  const o = t.outcome;
  if (o === undefined) return; // must it settle? `settles` judged that
  const code = errorCode(o.value);
  if (t.closedAtOffer && code !== 'ERR_POOL_CLOSED') {
    bad('offered to a closed pool, it did not reject PoolClosedError');
  }
  if (o.ok) {
    if (t.step.mode === 'invoke') return; // it was accepted: it runs, or release() drops it
    if (t.kind !== 'sync' && t.kind !== 'async') bad(`a ${t.kind} task cannot resolve`);
    else if (o.value !== t.id) bad(`resolved with ${JSON.stringify(o.value)}, not its result`);
    if (starts !== 1 || !ended) bad('resolved without its body running once to the end');
    return;
  }
  if (code === 'ERR_POOL_CLOSED') {
    // A task rejected with PoolClosedError never starts, then or later.
    if (starts > 0) bad('rejected PoolClosedError, yet its body ran');
    const released = run.releases.some((r) => t.offerTick < r.tick && r.tick <= o.tick);
    if (!t.closedAtOffer && !released) bad('rejected PoolClosedError with no release() after it');
  } else if (code === 'ERR_POOL_OVERLOAD') {
    if (!config.nonblocking) bad('rejected PoolOverloadError from a blocking pool');
    if (starts > 0) bad('rejected PoolOverloadError, yet its body ran');
    // A nonblocking pool accepts as a new one would: with fewer tasks offered since it was
    // created or rebooted than its cap (never tuned lower meanwhile), a thread has room.
    if (t.roomAtOffer) {
      run.violate('overload', `${what}: PoolOverloadError although the pool had room by its cap`);
    }
  } else if (code === 'ERR_TASK_ABORTED') {
    if (t.abortTick === 0 || t.abortTick > o.tick) bad('rejected AbortError, but was not aborted');
  } else if (t.step.mode === 'invoke') {
    bad(`an invoke() rejected with ${String(o.value)}`);
  } else if (code === 'ERR_TASK_TIMEOUT') {
    // Preempted when its thread claimed it, perhaps before its first line ran.
    if (config.taskTimeout === undefined) bad('TaskTimeoutError without a taskTimeout');
  } else if (code === 'ERR_WORKER_EXITED') {
    // Under the model's 8 MB resourceLimits a thread may run out of memory with no leak task on
    // it (coverage collection, a GC that came late): Node says so in the cause. The thread truly
    // died, so the tasks it had claimed fail, perhaps before their first line ran.
    if (config.leaky && causeCode(o.value) === 'ERR_WORKER_OUT_OF_MEMORY') return;
    // Its thread died under it: it was the task that took it down, or (concurrentTasksPerThread)
    // it was in flight on the same thread as that task.
    if (t.kind !== 'exit' && t.kind !== 'leak' && !run.diedBeside(t))
      bad('WorkerExitedError, but its thread did not die');
    if (starts !== 1) bad('WorkerExitedError, but its body never ran');
  } else {
    const own =
      t.kind === 'fail' &&
      o.value instanceof Error &&
      o.value.name === 'ModelError' &&
      o.value.message === `model failure ${t.id}`;
    if (!own) bad(`rejected with ${String(o.value)}`);
    else if (starts !== 1 || !ended) bad('rejected with its own error without running');
  }
}

const KILLED = new Set(['ERR_TASK_ABORTED', 'ERR_TASK_TIMEOUT', 'ERR_WORKER_EXITED']);

// The spans of every body that began. A body killed with its thread ends, as the pool sees it,
// when main learns of the kill (the run promise settles), if it did not end before; so does an
// aborted invoke's at the abort. A preempted invoke's end nobody sees: undefined.
function bodies(run: ModelRun): Span[] {
  const { tape } = run;
  const spans: Span[] = [];
  for (const t of run.tasks) {
    if (tape.starts(t.id) === 0) continue;
    const start = tape.startTick(t.id);
    const bodyEnd = tape.endTick(t.id) || undefined;
    const o = t.outcome;
    let end: number | undefined;
    if (o !== undefined && !o.ok && KILLED.has(errorCode(o.value) ?? '')) {
      end = Math.min(bodyEnd ?? Infinity, o.tick);
    } else if (t.step.mode === 'invoke' && t.abortTick > 0) {
      end = t.abortTick > start ? Math.min(bodyEnd ?? Infinity, t.abortTick) : undefined;
    } else if (bodyEnd !== undefined) end = bodyEnd;
    else if (o === undefined && t.step.mode === 'run') end = Infinity;
    spans.push({ task: t, thread: tape.thread(t.id), start, end });
  }
  return spans;
}

// True when a body of `thread` ran across `tick`. One whose end nobody saw does not count: its
// thread was preempted.
function busyAt(spans: Span[], thread: number, tick: number): boolean {
  return spans.some(
    (s) => s.thread === thread && s.start < tick && s.end !== undefined && s.end > tick,
  );
}

/*
 * release(): no task that had not started when release() returned ever starts, except that a
 * thread running nothing claims its oldest held task (it counts as started). So each thread
 * that existed then begins at most one body after release() returned, and none if a body of
 * its own was running across it (a body that began after release() returned may have been
 * claimed just before: at most one per thread, which is the same bound). With
 * concurrentTasksPerThread above 1, a thread running a body may claim one more just before:
 * only the bound of one remains. A thread whose module
 * loaded after the release began is a new thread: the release does not bind it. Tasks accepted
 * after reboot() run on new threads only.
 */
function judgeReleases(run: ModelRun, spans: Span[]): void {
  const { tape } = run;
  for (const r of run.releases) {
    const late = spans.filter((s) => s.start > r.tick && tape.threadEpoch(s.task.id) < r.epoch);
    const byThread = new Map<number, Span[]>();
    for (const s of late) byThread.set(s.thread, [...(byThread.get(s.thread) ?? []), s]);
    for (const [thread, started] of byThread) {
      const list = started.map((s) => run.describeTask(s.task)).join('; ');
      if (started.length > 1) {
        run.violate(
          'release',
          `after the release() of step ${r.step}, thread ${thread} started ${started.length} ` +
            `tasks that had not started: ${list}`,
        );
      } else if (run.config.concurrentTasksPerThread === 1 && busyAt(spans, thread, r.tick)) {
        run.violate(
          'release',
          `after the release() of step ${r.step}, thread ${thread} was running a task and then ` +
            `started one more: ${list}`,
        );
      }
    }
    for (const s of late) {
      if (s.task.offerTick > r.tick) {
        run.violate(
          'release',
          `${run.describeTask(s.task)}: accepted after the release() of step ${r.step}, it ran ` +
            'on a thread of the released pool',
        );
      }
    }
    // Tasks not started are taken back synchronously: run promises reject at once.
    for (const id of r.pendingAfterTurn ?? []) {
      const t = run.tasks[id]!;
      if (t.outcome !== undefined && errorCode(t.outcome.value) === 'ERR_POOL_CLOSED') {
        run.violate(
          'prompt',
          `${run.describeTask(t)}: still pending a turn after the release() of step ${r.step}, ` +
            'it rejected PoolClosedError later',
        );
      }
    }
  }
}

/*
 * At most `cap` bodies run at once (`cap` × concurrentTasksPerThread), counted at each start.
 * After tune(n) or reboot(), the bound is the new cap once every body that began before the call
 * (or that may have been claimed before it: the first body each thread began after it, unless
 * that thread was running one across the call and runs one task at a time) has ended; until
 * then SPEC pins nothing. Bodies whose end nobody saw are not counted, and count as never ending
 * for that wait.
 */
function judgeCap(run: ModelRun, spans: Span[]): void {
  const known = spans.filter((s) => s.end !== undefined);
  for (const s of known) {
    const x = s.start;
    const boundary = run.boundaries.filter((b) => b.tick < x).at(-1)!;
    const before = new Set(spans.filter((o) => o.start < boundary.tick));
    // (A body that begins after x is not counted at x, whenever it was claimed.)
    const firstAfter = new Map<number, Span>();
    for (const o of spans) {
      const first = firstAfter.get(o.thread);
      if (
        o.start > boundary.tick &&
        o.start <= x &&
        (first === undefined || o.start < first.start)
      ) {
        firstAfter.set(o.thread, o);
      }
    }
    const single = run.config.concurrentTasksPerThread === 1;
    for (const [thread, o] of firstAfter) {
      if (!single || !busyAt(spans, thread, boundary.tick)) before.add(o);
    }
    const drained = [...before].every((o) => o.end !== undefined && o.end < x);
    if (!drained) continue;
    const running = known.filter((o) => o.start <= x && x < o.end!);
    const bound = boundary.cap * run.config.concurrentTasksPerThread;
    if (running.length > bound) {
      run.violate(
        'cap',
        `${running.length} tasks ran at once with room for ${bound} (since ${boundary.what}): ` +
          running.map((o) => run.describeTask(o.task)).join('; '),
      );
      return; // one report per sequence is enough
    }
  }
}

/*
 * On one thread, at most concurrentTasksPerThread bodies are in flight at once, and one that may
 * be preempted (a signal, or taskTimeout) is alone: no other body of its thread runs across its
 * start, nor begins before it ends. Only bodies whose end was seen count.
 */
function judgeThreads(run: ModelRun, spans: Span[]): void {
  const n = run.config.concurrentTasksPerThread;
  const known = spans.filter((s) => s.end !== undefined);
  const exclusive = (s: Span) => s.task.step.signal || run.config.taskTimeout !== undefined;
  for (const s of known) {
    const beside = known.filter(
      (o) => o !== s && o.thread === s.thread && o.start <= s.start && s.start < o.end!,
    );
    if (beside.length + 1 > n) {
      run.violate(
        'state',
        `${beside.length + 1} tasks in flight on thread ${s.thread} with concurrentTasksPerThread ` +
          `${n}: ${[s, ...beside].map((o) => run.describeTask(o.task)).join('; ')}`,
      );
      return;
    }
    const shared = beside.find((o) => exclusive(o) || exclusive(s));
    if (shared !== undefined) {
      run.violate(
        'state',
        `a task that may be preempted shared its thread: ${run.describeTask(s.task)} began while ` +
          `${run.describeTask(shared.task)} ran`,
      );
      return;
    }
  }
}

// onIdle() resolves only with nothing in flight, and does resolve once nothing runs.
function judgeIdle(run: ModelRun): void {
  const running = run.tasks.some((t) => run.mayHang(t) && t.outcome === undefined);
  for (const r of run.idles) {
    if (r.inFlight.length > 0) {
      run.violate(
        'onIdle',
        `the onIdle() of step ${r.step} resolved while tasks were in flight: ${r.inFlight.join('; ')}`,
      );
    } else if (!r.resolved && !running && run.settled) {
      run.violate('onIdle', `the onIdle() of step ${r.step} never resolved`);
    }
  }
}

// releaseTimeout(): PoolClosedError on a closed pool; otherwise it resolves or times out.
function judgeTimeouts(run: ModelRun): void {
  for (const r of run.timeouts) {
    const o = r.outcome;
    if (o === undefined) continue;
    const code = o.ok ? undefined : errorCode(o.value);
    const expected = r.closedAtCall ? code === 'ERR_POOL_CLOSED' : o.ok || code === 'ERR_TIMEOUT';
    if (!expected) {
      run.violate(
        'outcome',
        `the releaseTimeout() of step ${r.step} ${o.ok ? 'resolved' : `rejected ${String(o.value)}`}` +
          (r.closedAtCall ? ' on a closed pool' : ''),
      );
    }
  }
}

/** The `code` of an error's `cause`, if any. */
function causeCode(error: unknown): unknown {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return cause?.code;
}
