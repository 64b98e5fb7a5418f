#!/usr/bin/env bash
# What one quote read costs a node: CPU time, bytes allocated and GC per request at fixed rates, and the closed-loop max.
# For comparing a code change or a runtime setting (A/B) on the same machine minutes apart.
#
#   STOA_CLUSTER_BENCH=1 STOA_CLUSTER_CREDENTIALS=/tmp/stoa-bench.env scripts/cluster &
#   bench/quotes/node-cost.sh /tmp/stoa-bench.env [VAR=VALUE ...]    # e.g. DOTNET_GCgen0size=0x400000
#
# It starts one more node on CPU 0 (port 8090 or BENCH_COST_PORT) from the Release build (or BENCH_COST_BIN), with node 1's
# settings plus the VAR=VALUE given, so the cluster's Redis, PostgreSQL and feed serve it. Everything else goes to CPU 1
# for the run (bench/quotes/pin.sh). Then: a warm-up (BENCH_WARMUP_SECONDS, 60), the max (wrk, closed loop,
# 32 connections, 10 s), and for each rate in BENCH_RATES (20000 30000) 10 s of ratedload over BENCH_CONNECTIONS (64),
# with the node's CPU time (/proc) and the runtime's counters (/metrics) read before and after. The extra node is
# stopped at the end.
#
# Needs 2 or more CPUs, taskset, wrk, gcc, curl. Prints one line per measurement.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/quotes/pin.sh
source bench/quotes/pin.sh
bench_start node-cost.sh "[VAR=VALUE ...]" "${1:-}" taskset wrk gcc curl
shift
cluster_port=${STOA_CLUSTER_PORT:-8080}
port=${BENCH_COST_PORT:-8090}
url="http://127.0.0.1:$port/v1/quotes/AAPL"
bin=${BENCH_COST_BIN:-src/Stoa.Server/bin/Release/net10.0}
template=$(node_pid_of $((cluster_port + 1)))
[ -n "$template" ] || { echo "node 1 is not running: start scripts/cluster first (see the header)" >&2; exit 1; }
[ -f "$bin/stoa.dll" ] || { echo "no Release build: dotnet build -c Release src/Stoa.Server" >&2; exit 1; }

work=$(mktemp -d)
node=""
on_exit() {
  [ -z "$node" ] || { kill "$node" 2>/dev/null; wait "$node" 2>/dev/null || true; }
  rm -rf "$work"
}
gcc -O2 -o "$work/ratedload" bench/quotes/ratedload.c -lm

# Node 1's Stoa settings, this node's address, no migrations (node 1 ran them), then the caller's settings.
mapfile -t settings < <(tr '\0' '\n' < "/proc/$template/environ" | grep '^Stoa__' | grep -v '^Stoa__Urls=')
env "${settings[@]}" Stoa__Urls="http://127.0.0.1:$port" Stoa__MigrateOnStart=false "$@" \
  taskset -c 0 dotnet "$bin/stoa.dll" > "$work/node.log" 2>&1 &
node=$!
pin_others "$node"
for _ in $(seq 120); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/readyz" && break
  kill -0 "$node" 2>/dev/null || { cat "$work/node.log" >&2; exit 1; }
  sleep 0.5
done

wrk_run() { taskset -c 1 wrk -t1 -c32 -s bench/quotes/wrk-quotes.lua "$@" "$url" | tail -1; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$node/stat"; }
# gen0 and gen1 collections, pause seconds and bytes allocated, from the runtime meter.
gc_counters() {
  curl -sf "http://127.0.0.1:$port/metrics" | awk '
    /^dotnet_gc_collections_total\{.*gc_heap_generation="gen0"/ { g0 = $NF }
    /^dotnet_gc_collections_total\{.*gc_heap_generation="gen1"/ { g1 = $NF }
    /^dotnet_gc_pause_time_seconds_total/ { pause = $NF }
    /^dotnet_gc_heap_total_allocated_bytes_total/ { bytes = $NF }
    END { print g0 + 0, g1 + 0, pause + 0, bytes + 0 }'
}

echo "# $(date -u +%FT%TZ) extra node on CPU 0, settings: ${*:-none}; load $(cut -d' ' -f1-3 /proc/loadavg)"
wrk_run -d"${BENCH_WARMUP_SECONDS:-60}s" >/dev/null
echo "max (wrk, closed loop, 32 connections): $(wrk_run -d10s)"
hz=$(getconf CLK_TCK)
for rate in ${BENCH_RATES:-20000 30000}; do
  c0=$(cpu_ticks); read -r a0 b0 p0 m0 <<< "$(gc_counters)"
  latency=$(taskset -c 1 "$work/ratedload" -R "$rate" -c "${BENCH_CONNECTIONS:-64}" -d 10 -H "X-Api-Key: $STOA_API_KEY" "$url")
  c1=$(cpu_ticks); read -r a1 b1 p1 m1 <<< "$(gc_counters)"
  awk -v rate="$rate" -v n=$((rate * 10)) -v cpu=$((c1 - c0)) -v hz="$hz" -v g0=$((a1 - a0)) -v g1=$((b1 - b0)) \
      -v pause="$p0 $p1" -v bytes="$m0 $m1" -v latency="$latency" 'BEGIN {
    split(pause, p, " "); split(bytes, m, " ")
    printf "rate=%d cpu_us_per_req=%.1f bytes_per_req=%d gen0=%d gen1=%d gc_pause_ms=%.1f %s\n",
      rate, cpu / hz * 1e6 / n, (m[2] - m[1]) / n, g0, g1, (p[2] - p[1]) * 1000, latency }'
done
