#!/usr/bin/env bash
# The latency goal of the quotes read path (p99 ≤ 1 ms at half the node's max throughput), measured so that the load
# generator does not take the node's CPU: the nodes run on CPU 0 (started so, which the runtime sees: one core, one
# GC heap), and wrk, Redis, PostgreSQL and haproxy on CPU 1 for the length of the run. Then the staleness probe,
# also on CPU 1. Needs 2 or more CPUs, taskset (util-linux) and wrk:
#
#   STOA_CLUSTER_NODE_CPUS=0 STOA_CLUSTER_BENCH=1 STOA_CLUSTER_CREDENTIALS=/tmp/stoa-bench.env scripts/cluster &
#   bench/quotes/run-pinned.sh /tmp/stoa-bench.env [NODE]      # NODE 1-3, default 1
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f "${1:-}" ] || { echo "usage: bench/quotes/run-pinned.sh CREDENTIALS_FILE [NODE]" >&2; exit 2; }
# shellcheck disable=SC1090
source "$1"
export STOA_API_KEY
node=${2:-1}
port=${STOA_CLUSTER_PORT:-8080}
seconds=${BENCH_SECONDS:-20}
delay=${BENCH_DELAY_MS:-2}
url="http://127.0.0.1:$((port + node))/v1/quotes/AAPL"

# Redis, PostgreSQL and haproxy: everything but the nodes.
others() {
  pgrep -f 'redis-server|postgres|haproxy' || true
}
node_pid=$(for p in $(pgrep -f stoa.dll); do
  if grep -qz "Stoa__Urls=http://127.0.0.1:$((port + node))" "/proc/$p/environ" 2>/dev/null; then echo "$p"; fi; done | head -1)
[ -n "$node_pid" ] || { echo "node $node is not running" >&2; exit 1; }
taskset -p "$node_pid" | grep -q 'mask: 1$' ||
  { echo "node $node is not on CPU 0 alone: start the cluster with STOA_CLUSTER_NODE_CPUS=0 (see the header)" >&2; exit 1; }
pin() { for p in $(others); do taskset -a -p "$1" "$p" >/dev/null 2>&1 || true; done; }
trap 'pin 0xffffffff' EXIT
pin 0x2
run() { taskset -c 1 wrk -t1 "$@" | tail -1; }

echo "# $(date -u +%FT%TZ) $(nproc) cores; nodes on CPU 0, wrk, Redis, PostgreSQL, haproxy on CPU 1; node $node; load $(cut -d' ' -f1-3 /proc/loadavg)"
# Warm-up at full load: on one core the JIT's tier-1 compilation competes with the requests and takes about two
# minutes to finish; a 3 s warm-up left the first measurement at a fifth of the node's real max.
run -c32 -d"${BENCH_WARMUP_SECONDS:-120}s" -s bench/quotes/wrk-quotes.lua "$url" >/dev/null
max=$(run -c32 -d"${seconds}s" -s bench/quotes/wrk-quotes.lua "$url")
echo "max (closed loop, 32 connections)  $max"
rps=$(sed -n 's/^rps=\([0-9]*\).*/\1/p' <<< "$max")
# Half the max: each connection waits $delay ms after an answer before its next request, so it sends one request per
# delay + ~0.5 ms; enough connections for rps / 2, over 4 wrk threads (their timers tick at different moments, which
# spreads the sends: one thread sends its due connections in a burst every millisecond).
connections=$(( rps * (2 * delay + 1) / 4000 ))
[ "$connections" -ge 4 ] || connections=4
echo "half max: target $((rps / 2)) req/s = $connections connections x 1 request / (${delay} ms + the answer)"
echo "half max (fixed rate)              $(taskset -c 1 wrk -t4 -c"$connections" -d"${seconds}s" -s bench/quotes/wrk-rate.lua "$url" -- "$delay" | tail -1)"

# Staleness with the same split: the probe's back-to-back polling runs on CPU 1 and does not delay the nodes' handling
# of the invalidation it is timing.
dotnet build -c Release bench/quotes/QuoteProbe -nologo -clp:ErrorsOnly -v quiet >/dev/null
taskset -c 1 dotnet bench/quotes/QuoteProbe/bin/Release/net10.0/QuoteProbe.dll staleness \
  --nodes "http://127.0.0.1:$((port + 1)),http://127.0.0.1:$((port + 2)),http://127.0.0.1:$((port + 3))" \
  --key "$STOA_API_KEY" --token "$STOA_SERVER_TOKEN" --writes "${BENCH_WRITES:-1000}"
