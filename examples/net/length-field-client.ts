// The gnet article's codec example, client side: sends three frames in one write, then prints
// each reply frame as it is decoded.
// Run: node --import tsx examples/net/length-field-client.ts tcp://127.0.0.1:9000
import { connect } from 'node:net';
import { LengthFieldBasedFrameCodec } from 'antpool/net';

const codec = new LengthFieldBasedFrameCodec(
  { byteOrder: 'BE', lengthFieldLength: 4 },
  { byteOrder: 'BE', lengthFieldLength: 4, initialBytesToStrip: 4 },
);
const [host, port] = (process.argv[2] ?? 'tcp://127.0.0.1:9000').replace('tcp://', '').split(':');
const messages = ['hello', 'gnet', 'in node'];

const socket = connect({ host, port: Number(port) }, () => {
  socket.write(Buffer.concat(messages.map((text) => codec.encode(undefined, Buffer.from(text)))));
});
let pending = Buffer.alloc(0);
let replies = 0;
socket.on('data', (chunk: Buffer) => {
  pending = Buffer.concat([pending, chunk]);
  while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32BE(0)) {
    const length = pending.readUInt32BE(0);
    console.log(`reply: ${pending.subarray(4, 4 + length).toString()}`);
    pending = pending.subarray(4 + length);
    if (++replies === messages.length) socket.end();
  }
});
