/**
 * The antpool/net echo handler of the network benchmark, as a module: with several event loops,
 * each loop, thread or process, imports it (`numEventLoop: 2` needs a handler module). Every
 * byte read goes back in the loop turn's one `writev`.
 */

/** @type {import('../../dist/net/index.js').EventHandler} */
export default {
  onTraffic: (conn) => conn.write(conn.next()),
};
