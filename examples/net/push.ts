// A push server: the ticker broadcasts a line to every connected client every 100 ms.
// Run: node --import tsx examples/net/push.ts [tcp://127.0.0.1:9000]
import { type Conn, run } from 'antpool/net';

const clients = new Set<Conn>();
let tick = 0;

await run(
  {
    onBoot: (engine) => console.log(`push server listening on ${engine.addrs.join(', ')}`),
    onOpen: (conn) => void clients.add(conn),
    onClose: (conn) => void clients.delete(conn),
    onTick() {
      tick++;
      for (const conn of clients) conn.write(`tick ${tick}\n`);
      return 100; // ms until the next tick
    },
  },
  process.argv[2] ?? 'tcp://127.0.0.1:9000',
  { ticker: true },
);
