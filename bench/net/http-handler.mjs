/**
 * The antpool/net HTTP handler of the network benchmark: answers every request with a fixed
 * 200 "Hello, World!", like `examples/net/http.ts`. Pipelined requests (several in one read)
 * each get their response, in order, all in the loop turn's one `writev`; a partial request
 * stays buffered until the rest arrives. Requests are GETs, without a body: each ends with an
 * empty line.
 */

const END_OF_HEAD = Buffer.from('\r\n\r\n');
const BODY = 'Hello, World!';
const RESPONSE = Buffer.from(
  `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`,
);

/** @type {import('../../dist/net/index.js').EventHandler} */
export default {
  onTraffic(conn) {
    const buffered = conn.peek();
    let consumed = 0;
    for (let end = buffered.indexOf(END_OF_HEAD); end >= 0; ) {
      consumed = end + END_OF_HEAD.length;
      conn.write(RESPONSE);
      end = buffered.indexOf(END_OF_HEAD, consumed);
    }
    // Not `discard(0)`: that drops everything buffered, a partial request too.
    if (consumed > 0) conn.discard(consumed);
  },
};
