// An antpool/net server on a free port: each line comes back (the loop answers at once), and
// `fib N` goes to the ThreadPool, whose answer is sent later with asyncWrite. A client sends both
// on one connection and sees the echo arrive first.
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { LineBasedFrameCodec, start } from 'antpool/net';
import type { ThreadPool } from 'antpool/thread';

const N = 35;

export async function netStep(pool: ThreadPool<number, number>): Promise<void> {
  const engine = await start(
    {
      onTraffic(conn) {
        for (let line = conn.readFrame(); line !== undefined; line = conn.readFrame()) {
          const fib = /^fib (\d+)$/.exec(line.toString());
          if (fib === null) {
            conn.writeFrame(line);
            continue;
          }
          pool
            .run(Number(fib[1]))
            .then((result) => conn.asyncWrite(`fib ${fib[1]} = ${result}\n`))
            .catch(() => {}); // the client left
        }
      },
    },
    'tcp://127.0.0.1:0',
    { codec: new LineBasedFrameCodec() },
  );
  console.log(`  server listening on ${engine.addrs.join(', ')}`);
  const { hostname, port } = new URL(engine.addrs[0]!);
  const socket = connect(Number(port), hostname);
  const sent = performance.now();
  socket.write(`fib ${N}\nhello\n`);
  console.log(`  the client sent 'fib ${N}', then 'hello', on one connection`);
  let answers = 0;
  for await (const line of createInterface({ input: socket })) {
    const ms = (performance.now() - sent).toFixed(1);
    const how = line === 'hello' ? 'echoed by the event loop' : 'from a thread, via asyncWrite';
    console.log(`  got '${line}' after ${ms} ms, ${how}`);
    if (++answers === 2) break;
  }
  socket.destroy();
  await engine.stop();
}
