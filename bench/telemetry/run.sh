#!/usr/bin/env bash
# What tracing costs a node, as deployed: quote read and comment create throughput (closed loop, wrk) with the bytes
# allocated and the CPU time per request, for each tracing setting, in one run. Each setting gets a fresh extra node
# (node 1's settings plus the setting's) on CPU 0, the load generator and the OTLP sink on CPU 1; the rest of the
# cluster is left where the scheduler puts it (other people's processes on a shared machine are not moved). Settings
# take turns, round after round, so that the machine's drift spreads over all of them.
#
#   STOA_CLUSTER_BENCH=1 STOA_CLUSTER_CREDENTIALS=/tmp/stoa-bench.env scripts/cluster &
#   bench/telemetry/run.sh /tmp/stoa-bench.env
#
# Settings (BENCH_CONFIGS, default "off 1% 100%"):
#   off       no OTLP endpoint: no tracer provider at all
#   1%, 100%  Stoa__Telemetry__OtlpEndpoint to a local sink (bench/telemetry/otlp-sink.py, OTLP/HTTP, which answers
#             and discards) with Stoa__Telemetry__SamplingRatio 0.01 or 1: spans made, batched, serialised and sent
#   baseline  tracing off on the build in BENCH_BASELINE_BIN (another commit's Release output): what "off" cost before
# Also: BENCH_ROUNDS (2), BENCH_WARMUP_SECONDS (30), BENCH_SECONDS (10), BENCH_COST_PORT (8090), BENCH_SINK_PORT (4319).
# Allocation per request is the runtime's allocated-bytes counter over the route's request count (from /metrics), so
# background work (feed ticks, invalidations, metric export) is included; CPU is the node's user+system time.
# Needs 2 or more CPUs, taskset, wrk, curl, python3. Prints one markdown row per measurement, then the ratios.
# On a machine others share, start the cluster on other ports (STOA_CLUSTER_PORT=18080, then the same here).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/quotes/pin.sh
source bench/quotes/pin.sh   # node_pid_of
credentials=${1:-}
[ -f "$credentials" ] || { echo "usage: bench/telemetry/run.sh CREDENTIALS_FILE (scripts/cluster's STOA_CLUSTER_CREDENTIALS)" >&2; exit 2; }
# shellcheck disable=SC1090
source "$credentials"
export STOA_API_KEY STOA_USER_TOKEN
for tool in taskset wrk curl python3; do command -v "$tool" >/dev/null || { echo "run.sh needs $tool" >&2; exit 1; }; done

cluster_port=${STOA_CLUSTER_PORT:-8080}
port=${BENCH_COST_PORT:-8090}
sink_port=${BENCH_SINK_PORT:-4319}
seconds=${BENCH_SECONDS:-10}
base="http://127.0.0.1:$port"
bin=src/Stoa.Server/bin/Release/net10.0
template=$(node_pid_of $((cluster_port + 1)))
[ -n "$template" ] || { echo "node 1 is not running: start scripts/cluster first (see the header)" >&2; exit 1; }
[ -f "$bin/stoa.dll" ] || { echo "no Release build: dotnet build -c Release src/Stoa.Server" >&2; exit 1; }
read -r -a configs <<< "${BENCH_CONFIGS:-off 1% 100%}"
if [ -n "${BENCH_BASELINE_BIN:-}" ]; then configs=(baseline "${configs[@]}"); fi

work=$(mktemp -d)
node="" sink=""
on_exit() {
  [ -z "$node" ] || { kill "$node" 2>/dev/null; wait "$node" 2>/dev/null || true; }
  [ -z "$sink" ] || kill "$sink" 2>/dev/null || true
  rm -rf "$work"
}
trap on_exit EXIT
taskset -c 1 python3 bench/telemetry/otlp-sink.py "$sink_port" &
sink=$!
mapfile -t settings < <(tr '\0' '\n' < "/proc/$template/environ" | grep '^Stoa__' | grep -v '^Stoa__Urls=')

start_node() { # CONFIG
  local dir=$bin extra=()
  case "$1" in
    off) ;;
    baseline) dir=$BENCH_BASELINE_BIN ;;
    *%) extra=(Stoa__Telemetry__OtlpEndpoint="http://127.0.0.1:$sink_port" Stoa__Telemetry__OtlpProtocol=http/protobuf
               Stoa__Telemetry__SamplingRatio="$(awk -v p="${1%\%}" 'BEGIN { print p / 100 }')") ;;
    *) echo "unknown setting $1" >&2; exit 2 ;;
  esac
  env "${settings[@]}" Stoa__Urls="$base" Stoa__MigrateOnStart=false "${extra[@]}" \
    taskset -c 0 dotnet "$dir/stoa.dll" > "$work/node.log" 2>&1 &
  node=$!
  for _ in $(seq 120); do
    curl -sf -o /dev/null "$base/readyz" && return 0
    kill -0 "$node" 2>/dev/null || { cat "$work/node.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "the node did not get ready" >&2; exit 1
}

stop_node() { kill "$node"; wait "$node" 2>/dev/null || true; node=""; }

# allocated bytes, requests of ROUTE, node CPU ticks, sink requests, sink bytes
snapshot() { # ROUTE
  local route=$1
  curl -sf "$base/metrics" | awk -v route="http_route=\"$route\"" '
    /^dotnet_gc_heap_total_allocated_bytes_total/ { bytes = $NF }
    /^http_server_request_duration_seconds_count\{/ && index($0, route) { n += $NF }
    END { printf "%.0f %.0f ", bytes, n }'
  awk '{ printf "%.0f ", $14 + $15 }' "/proc/$node/stat"
  curl -sf "http://127.0.0.1:$sink_port/stats"
}

measure() { # NAME ROUTE WRK_ARGS...
  local name=$1 route=$2 before after result
  shift 2
  before=$(snapshot "$route")
  result=$(taskset -c 1 wrk -t1 -d"${seconds}s" "$@" | tail -1)
  after=$(snapshot "$route")
  awk -v b="$before" -v a="$after" -v hz="$(getconf CLK_TCK)" -v result="$result" -v name="$name" 'BEGIN {
    split(b, x, " "); split(a, y, " "); n = y[2] - x[2]
    match(result, /rps=[0-9]+/); rps = substr(result, RSTART + 4, RLENGTH - 4)
    per = n > 0 ? 1 / n : 0
    # %.0f, not %d: mawk clamps %d to 2^31, which the allocated bytes of a node pass within minutes.
    printf "%s %.0f %.0f %.1f %.0f %.0f", name, rps, (y[1] - x[1]) * per, (y[3] - x[3]) / hz * 1e6 * per, y[4] - x[4], y[5] - x[5] }'
}

echo "# $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg); ${BENCH_ROUNDS:-2} rounds of: ${configs[*]}"
echo "| round | tracing | quote read req/s | B/req | CPU µs/req | comment create req/s | B/req | CPU µs/req | exported (requests, KiB) |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
results=$work/results
for round in $(seq "${BENCH_ROUNDS:-2}"); do
  for config in "${configs[@]}"; do
    start_node "$config"
    taskset -c 1 wrk -t1 -c32 -d"${BENCH_WARMUP_SECONDS:-30}s" -s bench/quotes/wrk-quotes.lua "$base/v1/quotes/AAPL" >/dev/null
    taskset -c 1 wrk -t1 -c16 -d10s -s bench/telemetry/comments.lua "$base" >/dev/null
    read -r _ qrps qbytes qcpu qexp qsent <<< "$(measure quotes '/v1/quotes/{symbol}' -c32 -s bench/quotes/wrk-quotes.lua "$base/v1/quotes/AAPL")"
    read -r _ crps cbytes ccpu cexp csent <<< "$(measure comments '/v1/threads/{threadId}/comments' -c16 -s bench/telemetry/comments.lua "$base")"
    stop_node
    echo "$config $qrps $qbytes $qcpu $crps $cbytes $ccpu" >> "$results"
    printf '| %d | %s | %d | %d | %.1f | %d | %d | %.1f | %d, %d |\n' "$round" "$config" "$qrps" "$qbytes" "$qcpu" "$crps" "$cbytes" "$ccpu" \
      $((qexp + cexp)) $(((qsent + csent) / 1024))
  done
done

echo
echo "Means over the rounds, and each setting against \`off\`:"
echo "| tracing | quote read req/s | ratio | B/req | ratio | comment create req/s | ratio | B/req | ratio |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
awk '{ n[$1]++; for (i = 2; i <= 7; i++) s[$1, i] += $i; if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 } }
  END {
    for (j = 1; j <= k; j++) {
      c = order[j]
      for (i = 2; i <= 7; i++) m[i] = s[c, i] / n[c]
      for (i = 2; i <= 7; i++) o[i] = s["off", i] / n["off"]
      printf "| %s | %.0f | %.2f | %.0f | %.2f | %.0f | %.2f | %.0f | %.2f |\n", c, m[2], m[2] / o[2], m[3], m[3] / o[3], m[5], m[5] / o[5], m[6], m[6] / o[6]
    }
  }' "$results"
