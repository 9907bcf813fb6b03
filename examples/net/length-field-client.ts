// The gnet article's codec example, client side, on antpool/net's client (gnet v2's Client):
// dials the server, sends three frames in one write, prints each reply frame as the codec
// decodes it, and stops once all three came back.
// Run: node --import tsx examples/net/length-field-client.ts tcp://127.0.0.1:9000
import { Action, createClient, LengthFieldBasedFrameCodec } from 'antpool/net';

const codec = new LengthFieldBasedFrameCodec(
  { byteOrder: 'BE', lengthFieldLength: 4 },
  { byteOrder: 'BE', lengthFieldLength: 4, initialBytesToStrip: 4 },
);
const messages = ['hello', 'gnet', 'in node'];
let replies = 0;

const client = await createClient(
  {
    // Written in one callback, the three frames leave in one writev.
    onOpen: (conn) => {
      for (const text of messages) conn.writeFrame(Buffer.from(text));
    },
    onTraffic(conn) {
      for (let frame = conn.readFrame(); frame !== undefined; frame = conn.readFrame()) {
        console.log(`reply: ${frame.toString()}`);
        if (++replies === messages.length) return Action.Shutdown;
      }
      return Action.None;
    },
  },
  { codec },
);
await client.dial(process.argv[2] ?? 'tcp://127.0.0.1:9000');
await client.done;
