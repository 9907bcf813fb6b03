// The commands of the example, over strings in a Map: PING, ECHO, SET, GET, DEL, INCR, MGET,
// MSET; plus what real clients send when they connect (INFO for ioredis' ready check, CONFIG GET
// for redis-benchmark, CLIENT, QUIT).
import { type Command, type ReplyWriter, simpleReply } from './resp.js';

/** Keys are latin1 strings (byte for byte); values are bytes of their own. */
export type Store = Map<string, Buffer>;

interface Spec {
  /** Redis' arity: n means exactly n arguments with the name, -n at least n. */
  readonly arity: number;
  /** Writes the reply; returns true to close the connection once it is sent (QUIT). */
  readonly run: (cmd: Command, out: ReplyWriter, store: Store) => unknown;
}

const OK = simpleReply('OK');
const PONG = simpleReply('PONG');

const COMMANDS = new Map<string, Spec>([
  ['PING', { arity: -1, run: ping }],
  ['ECHO', { arity: 2, run: (cmd, out) => out.bulk(cmd.copy(1)) }],
  ['SET', { arity: -3, run: set }],
  ['GET', { arity: 2, run: (cmd, out, store) => out.bulk(store.get(cmd.str(1))) }],
  ['DEL', { arity: -2, run: del }],
  ['INCR', { arity: 2, run: incr }],
  ['MGET', { arity: -2, run: mget }],
  ['MSET', { arity: -3, run: mset }],
  ['INFO', { arity: -1, run: info }],
  ['CONFIG', { arity: -2, run: config }],
  ['CLIENT', { arity: -2, run: (_cmd, out) => out.simple(OK) }],
  ['QUIT', { arity: -1, run: quit }],
]);

/** The commands by the length of their name, to find one without making a string of it. */
const BY_LENGTH: { name: Buffer; spec: Spec }[][] = [];
for (const [name, spec] of COMMANDS) {
  BY_LENGTH[name.length] ??= [];
  BY_LENGTH[name.length]!.push({ name: Buffer.from(name), spec });
}

/** The command named by argument 0, whatever its case. */
function lookup(cmd: Command): Spec | undefined {
  const start = cmd.starts[0]!;
  const candidates = BY_LENGTH[cmd.ends[0]! - start];
  if (candidates === undefined) return undefined;
  const buf = cmd.buf;
  next: for (const { name, spec } of candidates) {
    // Clearing bit 5 upper-cases a letter; names are letters only, so nothing else can match.
    for (let i = 0; i < name.length; i++) if ((buf[start + i]! & 0xdf) !== name[i]) continue next;
    return spec;
  }
  return undefined;
}

/** Runs one parsed command (argc > 0), writing its reply; true when the connection must close. */
export function execute(cmd: Command, out: ReplyWriter, store: Store): boolean {
  const spec = lookup(cmd);
  if (spec === undefined) {
    const name = cmd.str(0);
    const args = Array.from(
      { length: Math.min(cmd.argc - 1, 8) },
      (_, i) => `'${cmd.str(i + 1)}' `,
    );
    out.error(`ERR unknown command '${name}', with args beginning with: ${args.join('')}`);
    return false;
  }
  if (spec.arity > 0 ? cmd.argc !== spec.arity : cmd.argc < -spec.arity) {
    out.error(`ERR wrong number of arguments for '${cmd.str(0).toLowerCase()}' command`);
    return false;
  }
  return spec.run(cmd, out, store) === true;
}

function ping(cmd: Command, out: ReplyWriter): void {
  if (cmd.argc === 1) out.simple(PONG);
  else if (cmd.argc === 2) out.bulk(cmd.copy(1));
  else out.error("ERR wrong number of arguments for 'ping' command");
}

// Only the plain form: no EX/PX/NX/XX (this example has no expiry).
function set(cmd: Command, out: ReplyWriter, store: Store): void {
  if (cmd.argc !== 3) {
    out.error('ERR syntax error');
    return;
  }
  store.set(cmd.str(1), cmd.copy(2));
  out.simple(OK);
}

function del(cmd: Command, out: ReplyWriter, store: Store): void {
  let deleted = 0;
  for (let i = 1; i < cmd.argc; i++) if (store.delete(cmd.str(i))) deleted++;
  out.integer(deleted);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** What Redis' string2ll accepts: no sign on 0, no leading zeros, no spaces, 64 bits. */
const INTEGER = /^(0|-?[1-9][0-9]{0,18})$/;

function incr(cmd: Command, out: ReplyWriter, store: Store): void {
  const key = cmd.str(1);
  const current = store.get(key);
  const text = current === undefined ? '0' : current.length <= 20 ? current.toString('latin1') : '';
  if (!INTEGER.test(text) || BigInt(text) < INT64_MIN || BigInt(text) > INT64_MAX) {
    out.error('ERR value is not an integer or out of range');
    return;
  }
  const next = BigInt(text) + 1n;
  if (next > INT64_MAX) {
    out.error('ERR increment or decrement would overflow');
    return;
  }
  store.set(key, Buffer.from(next.toString(), 'latin1'));
  out.integer(next);
}

function mget(cmd: Command, out: ReplyWriter, store: Store): void {
  out.array(cmd.argc - 1);
  for (let i = 1; i < cmd.argc; i++) out.bulk(store.get(cmd.str(i)));
}

function mset(cmd: Command, out: ReplyWriter, store: Store): void {
  if (cmd.argc % 2 === 0) {
    out.error("ERR wrong number of arguments for 'mset' command");
    return;
  }
  for (let i = 1; i < cmd.argc; i += 2) store.set(cmd.str(i), cmd.copy(i + 1));
  out.simple(OK);
}

const INFO = Buffer.from(
  '# Server\r\nredis_version:7.0.0\r\nredis_mode:standalone\r\nloading:0\r\n',
);

function info(_cmd: Command, out: ReplyWriter): void {
  out.bulk(INFO);
}

/** The settings redis-benchmark reads before it starts, as a server without persistence has. */
const SETTINGS = new Map([
  ['save', ''],
  ['appendonly', 'no'],
]);

function config(cmd: Command, out: ReplyWriter): void {
  if (cmd.str(1).toUpperCase() !== 'GET') {
    out.error('ERR CONFIG supports only GET here');
    return;
  }
  const found: [string, string][] = [];
  for (let i = 2; i < cmd.argc; i++) {
    const name = cmd.str(i).toLowerCase();
    const value = SETTINGS.get(name);
    if (value !== undefined) found.push([name, value]);
  }
  out.array(found.length * 2);
  for (const [name, value] of found) {
    out.bulk(Buffer.from(name));
    out.bulk(Buffer.from(value));
  }
}

function quit(_cmd: Command, out: ReplyWriter): boolean {
  out.simple(OK);
  return true;
}
