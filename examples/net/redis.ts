// A Redis-protocol (RESP2) server: PING, ECHO, SET, GET, DEL, INCR, MGET, MSET over strings in a
// Map (no expiry), good enough for redis-cli, redis-benchmark and ioredis (with the INFO, CONFIG
// GET, CLIENT and QUIT they send around their commands). Every complete command buffered is
// answered, in order, in one write: pipelining costs one read and one write per batch. Garbage
// gets Redis' `-ERR Protocol error: …` and the connection closes, as Redis does.
// Run: node --import tsx examples/net/redis.ts [tcp://127.0.0.1:6380]
import { Action, type ActionResult, type Conn, run } from 'antpool/net';
import { execute, type Store } from './redis/commands.js';
import { Command, ProtocolError, ReplyWriter } from './redis/resp.js';

/** A connection's state: how many bytes its next command needs before it is worth parsing. */
interface Session {
  need: number;
}

const store: Store = new Map();
// One loop runs one callback at a time: the parse and reply buffers are shared by all connections.
const command = new Command();
const replies = new ReplyWriter();

function onTraffic(conn: Conn): ActionResult {
  const session = conn.context as Session;
  if (conn.inboundBuffered < session.need) return; // a large value still arriving
  const buffered = conn.peek();
  let consumed = 0;
  let close = false;
  try {
    while (consumed < buffered.length && !close) {
      const end = command.parse(buffered, consumed);
      if (end < 0) break;
      if (command.argc > 0) close = execute(command, replies, store);
      consumed = end;
    }
    session.need = close || consumed === buffered.length ? 0 : command.need;
  } catch (err) {
    if (!(err instanceof ProtocolError)) {
      replies.take(); // a bug: no half-written answer may reach another connection
      throw err;
    }
    // As Redis does: say why, then close (only this connection).
    replies.error(`ERR Protocol error: ${err.message}`);
    close = true;
  }
  if (close) conn.discard();
  else if (consumed > 0) conn.discard(consumed); // discard(0) would drop a partial command too
  const chunks = replies.take();
  if (chunks.length === 1) conn.write(chunks[0]!);
  else if (chunks.length > 1) conn.writev(chunks);
  return close ? Action.Close : Action.None;
}

await run(
  {
    onBoot: (engine) => console.log(`redis server listening on ${engine.addrs.join(', ')}`),
    onOpen: (conn) => {
      conn.context = { need: 0 } satisfies Session;
    },
    onTraffic,
  },
  process.argv[2] ?? 'tcp://127.0.0.1:6380',
);
