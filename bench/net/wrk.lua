-- wrk script of the network benchmark (bench/net/index.ts runs it):
--   wrk -t1 -c100 -d3s -s bench/net/wrk.lua http://127.0.0.1:PORT/ -- DEPTH
-- DEPTH 1 (the default) sends wrk's own request; above 1, every write pipelines DEPTH GETs
-- (wrk counts each response, so requests/s stays per request). When done, prints one JSON line
-- for the benchmark to parse: requests answered, the run's duration and the errors. A "timeout"
-- is no failed request: wrk counts, every 2 s, the connections that have waited longer than its
-- timeout (2 s) for a response. Latency is left out: wrk reports 0 for it when pipelining.

init = function(args)
  local depth = tonumber(args[1]) or 1
  if depth > 1 then
    local pipelined = string.rep(wrk.format(nil, "/"), depth)
    -- Defined only here: without a `request` function, wrk sends its static request.
    request = function()
      return pipelined
    end
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    summary.requests,
    summary.duration,
    e.connect, e.read, e.write, e.status, e.timeout
  ))
end
