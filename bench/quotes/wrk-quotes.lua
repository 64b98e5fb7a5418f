-- wrk script for bench/quotes: sends the app's API key and prints p50/p99/p99.9 (wrk's own --latency stops at p99).
--   STOA_API_KEY=pk_... wrk -t2 -c64 -d10s -s bench/quotes/wrk-quotes.lua http://127.0.0.1:8081/v1/quotes/AAPL
local key = os.getenv("STOA_API_KEY") or error("set STOA_API_KEY")
wrk.headers["X-Api-Key"] = key

function done(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("rps=%.0f p50=%.3fms p90=%.3fms p99=%.3fms p99.9=%.3fms max=%.3fms requests=%d non2xx=%d socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000,
    summary.requests, non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
