// An echo server: every byte a client sends comes back.
// Run: node --import tsx examples/net/echo.ts [tcp://127.0.0.1:9000]
import { run } from 'antpool/net';

await run(
  {
    onBoot: (engine) => console.log(`echo server listening on ${engine.addrs.join(', ')}`),
    onTraffic: (conn) => conn.write(conn.next()),
  },
  process.argv[2] ?? 'tcp://127.0.0.1:9000',
);
