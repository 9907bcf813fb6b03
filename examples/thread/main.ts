import { ThreadPool } from 'antpool/thread';

const pool = new ThreadPool<number, number>({
  filename: new URL('./fib.js', import.meta.url),
});
const results = await Promise.all([30, 31, 32].map((n) => pool.run(n)));
console.log(results.join(', ')); // computed off the main thread
await pool.releaseTimeout(5000);
