// Offloading: the event loop never computes. `fib N` lines go to a ThreadPool and are answered
// with asyncWrite when the thread is done; `ping` is answered at once, even while threads are
// busy; `delay` reports this loop's event-loop delay, which stays low.
// Run: node --import tsx examples/net/offload.ts [tcp://127.0.0.1:9000]
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { LineBasedFrameCodec, run } from 'antpool/net';
import { ThreadPool } from 'antpool/thread';

const pool = new ThreadPool<number, number>({
  filename: new URL('../thread/fib.js', import.meta.url),
});
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();

await run(
  {
    onBoot: (engine) => console.log(`offload server listening on ${engine.addrs.join(', ')}`),
    onTraffic(conn) {
      for (let line = conn.readFrame(); line !== undefined; line = conn.readFrame()) {
        const [command, arg] = line.toString().split(' ');
        if (command === 'fib') {
          pool
            .run(Number(arg))
            .then((result) => conn.asyncWrite(`fib ${arg} = ${result}\n`))
            .catch(() => {}); // the client left
        } else if (command === 'delay') {
          const ms = (ns: number) => (ns / 1e6).toFixed(2);
          conn.write(`delay p99 ${ms(delay.percentile(99))} ms, max ${ms(delay.max)} ms\n`);
        } else conn.write('pong\n');
      }
    },
    onShutdown: () => void pool.releaseTimeout(5000),
  },
  process.argv[2] ?? 'tcp://127.0.0.1:9000',
  { codec: new LineBasedFrameCodec() },
);
