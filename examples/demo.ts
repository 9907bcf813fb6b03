// npm run demo: the whole product in three steps, each saying what it proves. Runs from a clone
// in well under 30 s, and exits by itself.
import { ThreadPool } from 'antpool/thread';
import { antsExample } from './demo/ants.js';
import { netStep } from './demo/net.js';
import { threadsStep } from './demo/threads.js';

console.log("step 1/3: the example of ants' README, on antpool's default pool and a PoolWithFunc");
await antsExample();
console.log(
  "  proves: ants' API and semantics, in TypeScript: 1,000 tasks, then 10 recycled workers",
);

// niceIncrement (Linux): the threads yield a core to the main thread the moment it has work.
const pool = new ThreadPool<number, number>({
  filename: new URL('./thread/fib.js', import.meta.url),
  niceIncrement: 5,
});
console.log('step 2/3: CPU work moved to a ThreadPool, while a timer runs on the main thread');
await threadsStep(pool);
console.log('  proves: the threads computed, and the event loop stayed free for the timer');

console.log('step 3/3: an antpool/net echo server that offloads `fib N` to the same ThreadPool');
await netStep(pool);
console.log('  proves: the server answers at once while its CPU work runs in threads');

await pool.releaseTimeout(5000);
console.log('done: every pool released, nothing left running');
