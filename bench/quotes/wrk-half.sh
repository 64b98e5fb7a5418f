#!/usr/bin/env bash
# The latency goal as the issue words it: p99 of GET /v1/quotes/AAPL "with wrk" at half the node's max throughput, and
# next to it the same rate sent open loop, which is the stricter measure.
#
#   STOA_CLUSTER_NODE_CPUS=0 STOA_CLUSTER_BENCH=1 STOA_CLUSTER_CREDENTIALS=/tmp/stoa-bench.env scripts/cluster &
#   for n in 1 2 3; do bench/quotes/wrk-half.sh /tmp/stoa-bench.env $n; done
#
# The node runs alone on CPU 0, everything else on CPU 1 (bench/quotes/pin.sh), as in run-pinned.sh. After a warm-up
# (BENCH_WARMUP_SECONDS, 120: on one core tier-1 JIT competes with the requests), wrk measures the max (closed loop,
# 32 connections, 10 s), then runs with one connection: wrk has no rate setting, and on this node one connection in
# flight is what comes out at about half the max. A closed loop does not send while a reply is late, so the requests
# a stall holds back are never counted (coordinated omission); ratedload.c then sends half the max evenly over 16
# connections and counts each request's latency from when it was due.
#
# Next to each of the two runs at half the max it prints the steal of CPU 0 and CPU 1 in per cent (see pin.sh): a
# host busy elsewhere shows there. For the open loop it also prints ratedload's own lateness (late_p99): a generator
# that fell behind its schedule shows there. Needs 2 or more CPUs, taskset (util-linux), wrk, gcc. Prints one
# markdown table row.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/quotes/pin.sh
source bench/quotes/pin.sh
bench_start wrk-half.sh "[NODE]" "${1:-}" taskset wrk gcc
node=${2:-1}
port=${STOA_CLUSTER_PORT:-8080}
url="http://127.0.0.1:$((port + node))/v1/quotes/AAPL"
node_pid=$(pinned_node_pid $((port + node)))

work=$(mktemp -d)
on_exit() { rm -rf "$work"; }
pin_others "$node_pid"
gcc -O2 -o "$work/ratedload" bench/quotes/ratedload.c -lm

wrk_run() { taskset -c 1 wrk -t1 -s bench/quotes/wrk-quotes.lua "$@" "$url" | tail -1; }
# wrk-quotes.lua and ratedload.c both print "rps=… p50=…ms p90=… p99=… p99.9=… max=…".
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<< " $2"; }

wrk_run -c32 -d"${BENCH_WARMUP_SECONDS:-120}s" >/dev/null
max=$(wrk_run -c32 -d10s)
before=$(cpu_ticks)
one=$(wrk_run -c1 -d10s)
one_steal=$(steal_pct "$before" "$(cpu_ticks)")
max_rps=$(field rps "$max")
half=$((${max_rps%.*} / 2))
before=$(cpu_ticks)
open=$(taskset -c 1 "$work/ratedload" -R "$half" -c 16 -d 10 -H "X-Api-Key: $STOA_API_KEY" "$url")
open_steal=$(steal_pct "$before" "$(cpu_ticks)")

one_rps=$(field rps "$one")
share=$(awk -v a="$one_rps" -v b="$max_rps" 'BEGIN { printf "%.0f", 100 * a / b }')
printf '| node%s | %s | %s (%s %%) | %s / %s / %s | %s | %s | %s / %s / %s | %s | %s |\n' \
  "$node" "$max_rps" "$one_rps" "$share" \
  "$(field p50 "$one")" "$(field p99 "$one")" "$(field p99.9 "$one")" "$one_steal" \
  "$half" "$(field p50 "$open")" "$(field p99 "$open")" "$(field p99.9 "$open")" "$(field late_p99 "$open")" \
  "$open_steal"
