-- wrk at a fixed rate: every connection waits DELAY_MS between its answer and its next request, so C connections send
-- about C * 1000 / DELAY_MS requests/s while the answers are much faster than the delay (wrk times each request from
-- its send, not from the planned send: at half load the two differ little, see docs/benchmarks-quotes.md).
--   STOA_API_KEY=pk_... wrk -t1 -c40 -d30s -s bench/quotes/wrk-rate.lua URL -- DELAY_MS
local key = os.getenv("STOA_API_KEY") or error("set STOA_API_KEY")
wrk.headers["X-Api-Key"] = key
local delay_ms = 1

function init(args)
  delay_ms = tonumber(args[1]) or error("usage: ... -- DELAY_MS")
end

function delay()
  return delay_ms
end

function done(summary, latency, requests)
  io.write(string.format("rps=%.0f p50=%.3fms p90=%.3fms p99=%.3fms p99.9=%.3fms max=%.3fms requests=%d non2xx=%d socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000,
    summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
