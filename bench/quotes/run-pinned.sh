#!/usr/bin/env bash
# The latency goal of the quotes read path (p99 ≤ 1 ms at half the node's max throughput), measured so that the load
# generator does not take the node's CPU: the measured node runs alone on CPU 0 (started there, so the runtime sees one
# core and makes one GC heap); the load generators, Redis, PostgreSQL, haproxy and the two other nodes run on CPU 1 for
# the length of the run. Then the staleness probe, also on CPU 1.
#
#   STOA_CLUSTER_NODE_CPUS=0 STOA_CLUSTER_BENCH=1 STOA_CLUSTER_CREDENTIALS=/tmp/stoa-bench.env scripts/cluster &
#   bench/quotes/run-pinned.sh /tmp/stoa-bench.env [NODE]      # NODE 1-3, default 1
#
# 1. Two minutes at full load first: on one core the JIT's tier-1 compilation competes with the requests; a short
#    warm-up left the first measurement at a fifth of the node's real max.
# 2. The max: wrk, closed loop, 32 connections.
# 3. The latency at 10, 20, 30, 40 and 50 % of that max, at a fixed rate with ratedload.c (requests evenly spaced,
#    latency counted from when each was due; wrk cannot send at a fixed rate). After each, the same rate against a
#    haproxy that answers the same bytes as a constant, on the same CPU 0: the floor this machine's scheduler and
#    loopback put under any server, measured under the same conditions a few seconds apart.
# Before 2, stalls.c counts the stalls of each CPU (a ready thread not run for over a millisecond) for 10 s.
#
# Needs 2 or more CPUs, taskset (util-linux), wrk, gcc and haproxy. Prints markdown table rows.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/quotes/pin.sh
source bench/quotes/pin.sh
bench_start run-pinned.sh "[NODE]" "${1:-}" taskset wrk gcc haproxy
node=${2:-1}
port=${STOA_CLUSTER_PORT:-8080}
seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-64}
floor_port=${BENCH_FLOOR_PORT:-$((port + 19))}
url="http://127.0.0.1:$((port + node))/v1/quotes/AAPL"
node_pid=$(pinned_node_pid $((port + node)))

work=$(mktemp -d)
on_exit() {
  [ -f "$work/floor.pid" ] && kill "$(cat "$work/floor.pid")" 2>/dev/null
  rm -rf "$work"
}
# Everything but the measured node goes to CPU 1; each process gets its own mask back on exit.
pin_others "$node_pid"

gcc -O2 -o "$work/ratedload" bench/quotes/ratedload.c -lm
gcc -O2 -o "$work/stalls" bench/quotes/stalls.c
curl -sf -H "X-Api-Key: $STOA_API_KEY" "$url" > "$work/quote.json"
cat > "$work/floor.cfg" <<EOF
global
  nbthread 1
  pidfile $work/floor.pid
defaults
  mode http
  timeout client 30s
  timeout server 30s
  timeout connect 5s
frontend constant
  bind 127.0.0.1:$floor_port
  http-request return status 200 content-type "application/json; charset=utf-8" file $work/quote.json
EOF
taskset -c 0 haproxy -f "$work/floor.cfg" -D

wrk_run() { taskset -c 1 wrk -t1 "$@" | tail -1; }
fixed() { taskset -c 1 "$work/ratedload" -R "$1" -c "$connections" -d "$seconds" -H "X-Api-Key: $STOA_API_KEY" "$2"; }
field() { sed -n "s/.* $1=\\([0-9.]*\\).*/\\1/p" <<< "$2"; }

echo "# $(date -u +%FT%TZ) $(nproc) cores; node $node alone on CPU 0; load $(cut -d' ' -f1-3 /proc/loadavg)"
# A kernel with DAMON memory reclaim runs kdamond, which samples memory every aggregation interval (500 ms where it
# was found) for 1-2.5 ms on whichever CPU it is on, not preemptible: one source of the stalls counted below. It is
# left where it is: on CPU 1 it would delay the generator's sends, which count against the node all the same.
kdamond=$(pgrep -d, '^kdamond' || true)
[ -z "$kdamond" ] || echo "# kdamond (DAMON) running: pid $kdamond"
wrk_run -c32 -d"${BENCH_WARMUP_SECONDS:-120}s" -s bench/quotes/wrk-quotes.lua "$url" >/dev/null
# The machine's own stalls, on both CPUs at once while the node idles: the floor under every percentile below.
taskset -c 0 "$work/stalls" 10 | sed 's/^/CPU 0: /' > "$work/stalls0" &
taskset -c 1 "$work/stalls" 10 | sed 's/^/CPU 1: /'
wait; cat "$work/stalls0"
max=$(wrk_run -c32 -d"${BENCH_MAX_SECONDS:-20}s" -s bench/quotes/wrk-quotes.lua "$url")
echo "max (wrk, closed loop, 32 connections): $max"
rps=$(sed -n 's/^rps=\([0-9]*\).*/\1/p' <<< "$max")
echo
echo "| load | rate (req/s) | node p50 | node p99 | node p99.9 | node max | constant p50 | constant p99 | constant p99.9 | generator late p99 |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for percent in ${BENCH_LOADS:-10 20 30 40 50}; do
  rate=$((rps * percent / 100))
  at_node=$(fixed "$rate" "$url")
  at_floor=$(fixed "$rate" "http://127.0.0.1:$floor_port/")
  [ "$(field non2xx "$at_node")" = 0 ] || echo "node answered non-2xx at $rate req/s: $at_node" >&2
  echo "| $percent % | $rate | $(field p50 "$at_node") | $(field p99 "$at_node") | $(field p99.9 "$at_node") | $(field max "$at_node")" \
    "| $(field p50 "$at_floor") | $(field p99 "$at_floor") | $(field p99.9 "$at_floor") | $(field late_p99 "$at_node") |"
done
echo

# Staleness with the same split: the probe's back-to-back polling runs on CPU 1 and does not delay the nodes' handling
# of the invalidation it is timing.
dotnet build -c Release bench/quotes/QuoteProbe -nologo -clp:ErrorsOnly -v quiet >/dev/null
taskset -c 1 dotnet bench/quotes/QuoteProbe/bin/Release/net10.0/QuoteProbe.dll staleness \
  --nodes "http://127.0.0.1:$((port + 1)),http://127.0.0.1:$((port + 2)),http://127.0.0.1:$((port + 3))" \
  --key "$STOA_API_KEY" --token "$STOA_SERVER_TOKEN" --writes "${BENCH_WRITES:-1000}"
