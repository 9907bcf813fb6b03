// The example from ants' README, in TypeScript: 1,000 tasks on the default pool, then a
// PoolWithFunc of 10 workers summing 0..999 (with a progress bar: it takes about a second).
import { setTimeout as sleep } from 'node:timers/promises';
import { PoolWithFunc, release, running, submit } from 'antpool';
import { progress } from './progress.js';

const runTimes = 1000;

async function demoFunc(): Promise<void> {
  await sleep(10);
}

export async function antsExample(): Promise<void> {
  // Use the common pool.
  let done = 0;
  for (let i = 0; i < runTimes; i++) {
    await submit(async () => {
      await demoFunc();
      done++;
    });
  }
  console.log(`running workers: ${running()}`);
  while (done < runTimes) await sleep(1);
  console.log(`finish all ${done} tasks.`);
  release();

  // Use the pool with a function: 10 workers, the default expiry of 1 second.
  let sum = 0;
  const pool = new PoolWithFunc(10, async (i: number) => {
    await sleep(1);
    sum += i;
  });
  const bar = progress('invocations', runTimes);
  for (let i = 0; i < runTimes; i++) {
    await pool.invoke(i);
    bar.tick();
  }
  bar.stop();
  console.log(`running workers: ${pool.running}`);
  await pool.onIdle();
  console.log(`finish all tasks, result is ${sum}`);
  await pool.releaseTimeout(1000);
}
