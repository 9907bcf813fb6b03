// The gnet article's codec example, server side: frames are a 4-byte big-endian length and a
// payload; the server answers each frame with the payload upper-cased, in a frame.
// Run: node --import tsx examples/net/length-field-server.ts [tcp://127.0.0.1:9000]
import { LengthFieldBasedFrameCodec, run } from 'antpool/net';

const codec = new LengthFieldBasedFrameCodec(
  { byteOrder: 'BE', lengthFieldLength: 4 },
  { byteOrder: 'BE', lengthFieldLength: 4, initialBytesToStrip: 4 },
);

await run(
  {
    onBoot: (engine) => console.log(`length-field server listening on ${engine.addrs.join(', ')}`),
    onTraffic(conn) {
      for (let frame = conn.readFrame(); frame !== undefined; frame = conn.readFrame()) {
        conn.writeFrame(Buffer.from(frame.toString().toUpperCase()));
      }
    },
  },
  process.argv[2] ?? 'tcp://127.0.0.1:9000',
  { codec },
);
