import { Pool, PoolOverloadError } from 'antpool';

const pool = new Pool(4); // at most 4 tasks at once

// run(): resolves with the task's result.
const pages = await Promise.all(
  [1, 2, 3, 4, 5, 6].map((page) => pool.run(async () => `page ${page}`)),
);
console.log(pages.join(', '));

// submit(): resolves once a worker has accepted the task (ants' blocking Submit).
for (let i = 0; i < 8; i++) {
  await pool.submit(async () => {
    await new Promise((resolve) => setTimeout(resolve, 10));
  });
}
await pool.onIdle();
console.log(`running ${pool.running}, free ${pool.free}, waiting ${pool.waiting}`);

// A nonblocking pool rejects instead of waiting.
const strict = new Pool(1, { nonblocking: true });
const slow = strict.run(() => new Promise((resolve) => setTimeout(resolve, 50)));
await strict
  .run(() => 'no room')
  .catch((err) => {
    console.log(err instanceof PoolOverloadError, err.code);
  });
await slow;

await pool.releaseTimeout(1000);
strict.release();
