-- wrk script for bench/telemetry: each request creates a comment as the dev user, in one of 1,000 threads (so that
-- conflicts on one thread's counter row do not dominate), and prints the same summary line as bench/quotes.
--   STOA_API_KEY=pk_... STOA_USER_TOKEN=ey... wrk -t1 -c16 -d10s -s bench/telemetry/comments.lua http://127.0.0.1:8090
local key = os.getenv("STOA_API_KEY") or error("set STOA_API_KEY")
local token = os.getenv("STOA_USER_TOKEN") or error("set STOA_USER_TOKEN")
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  math.randomseed(os.time() + id)
  wrk.method = "POST"
  wrk.headers["X-Api-Key"] = key
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = '{"body":"A comment of ordinary length, with **some** markdown and no links, as a benchmark writes it."}'
end

function request()
  return wrk.format(nil, string.format("/v1/threads/bench-%d/comments", math.random(0, 999)))
end

function done(summary, latency, requests)
  io.write(string.format("rps=%.0f p50=%.3fms p99=%.3fms requests=%d non2xx=%d socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
