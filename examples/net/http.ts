// A minimal HTTP/1.1 server that answers every request with "Hello, World!". Pipelined
// requests (several in one read) each get their response, in order, in one write.
// Run: node --import tsx examples/net/http.ts [tcp://127.0.0.1:8080]
import { type Conn, run } from 'antpool/net';

const END_OF_HEAD = Buffer.from('\r\n\r\n');
const BODY = 'Hello, World!';
const RESPONSE = Buffer.from(
  `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`,
);

function onTraffic(conn: Conn): void {
  const buffered = conn.peek();
  let consumed = 0;
  let responses = 0;
  // Requests without a body (GET, HEAD): each ends with an empty line.
  for (
    let end = buffered.indexOf(END_OF_HEAD);
    end >= 0;
    end = buffered.indexOf(END_OF_HEAD, consumed)
  ) {
    consumed = end + END_OF_HEAD.length;
    responses++;
  }
  if (consumed > 0) conn.discard(consumed); // discard(0) would drop a partial request too
  if (responses > 0)
    conn.write(responses === 1 ? RESPONSE : Buffer.concat(Array(responses).fill(RESPONSE)));
}

await run(
  {
    onBoot: (engine) => console.log(`http server listening on ${engine.addrs.join(', ')}`),
    onTraffic,
  },
  process.argv[2] ?? 'tcp://127.0.0.1:8080',
);
