#!/usr/bin/env bash
# bench/redis-cluster/run.sh [--rounds N] [--seconds N]
#
# Stoa on one Redis against Stoa on a Redis Cluster of 3 primaries and 3 replicas (issue 26), on the same machine in
# the same run: each round starts scripts/cluster (three `stoa` processes, PostgreSQL, haproxy) once on each engine,
# alternating which goes first, and measures on it:
#   quotes     wrk on node 1: the near-cache read and one engine read per request (the comparison endpoint);
#              staleness from a write on node 1 until nodes 2 and 3 serve it (QuoteProbe, 500 writes)
#   follows    a followers page of 20 (of 1,000 real follows) on node 1 with wrk
#   docs       50 documents × 4 editors through haproxy, committed ops/s and p99 submit→ack (bench/docs editors)
#   fanout     pub/sub: three engines (as three nodes) subscribed to 64 thread topics, 32 publishes in flight each
#   ratelimit  token-bucket takes: three engines, 32 in flight each, on 1,000 subjects' buckets
# and prints the median of each figure per engine with the cluster's ratio to one Redis.
# Environment: STOA_CLUSTER_PORT (default 19280), STOA_CLUSTER_NO_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
# shellcheck source=scripts/lib/cluster-up.sh
. scripts/lib/cluster-up.sh
rounds=2 seconds=10
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    *) echo "usage: bench/redis-cluster/run.sh [--rounds N] [--seconds N]" >&2; exit 2 ;;
  esac
done
log() { printf '\033[1mcluster-bench:\033[0m %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
for tool in wrk node jq; do command -v "$tool" >/dev/null || die "$tool is missing: apt-get install -y $tool"; done

port=${STOA_CLUSTER_PORT:-19280}
work=$(mktemp -d /tmp/stoa-cluster-bench.XXXXXX)
results="$work/results"
cluster_pid=""

stop_cluster() {
  if [ -n "$cluster_pid" ]; then
    kill -TERM "$cluster_pid" 2>/dev/null || true
    wait "$cluster_pid" 2>/dev/null || true
    cluster_pid=""
  fi
}
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_cluster
  if [ $status -eq 0 ]; then rm -rf "$work"; else log "kept $work"; fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -z "${STOA_CLUSTER_NO_BUILD:-}" ]; then
  dotnet build src/Stoa.Server -c Release -nologo -clp:ErrorsOnly -v quiet >/dev/null
fi
dotnet build -c Release bench/quotes/QuoteProbe -nologo -clp:ErrorsOnly -v quiet >/dev/null
dotnet build -c Release bench/redis-cluster/EngineProbe -nologo -clp:ErrorsOnly -v quiet >/dev/null
export STOA_CLUSTER_NO_BUILD=1
# Capacity is measured, not the per-user limits (see bench/docs/run.sh).
export Stoa__Docs__OpsPerSecond=1000000 Stoa__Docs__OpsBurst=1000000
export Stoa__Docs__SocketMessagesPerSecond=1000000 Stoa__Docs__SocketMessageBurst=1000000

record() { echo "$1 $2 $3" >> "$results"; log "$1 $2 = $3"; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<< "$2"; }

measure() {
  local engine=$1 flag=""
  [ "$engine" = cluster ] && flag=--redis-cluster
  STOA_CLUSTER_PORT=$port STOA_CLUSTER_BENCH=1 STOA_CLUSTER_CREDENTIALS="$work/credentials.env" \
    scripts/cluster $flag > "$work/cluster-$engine.log" 2>&1 &
  cluster_pid=$!
  wait_for_cluster "$work/cluster-$engine.log" "$cluster_pid" || die "no cluster on $engine"
  # shellcheck disable=SC1091
  . "$work/credentials.env"
  export STOA_API_KEY
  local redis_url node1="http://127.0.0.1:$((port + 1))"
  redis_url=$(sed -n 's/^ *redis *\(redis:.*\)$/\1/p' "$work/cluster-$engine.log" | head -1)
  [ -n "$redis_url" ] || die "no redis URL in the cluster's log"
  log "$engine: $redis_url"

  local out
  wrk -t1 -c8 -d2s -s bench/quotes/wrk-quotes.lua "$node1/v1/quotes/AAPL" >/dev/null
  out=$(wrk -t1 -c32 -d"${seconds}s" -s bench/quotes/wrk-quotes.lua "$node1/v1/quotes/AAPL" | tail -1)
  record "$engine" quote-read-rps "$(field rps "$out")"
  out=$(wrk -t1 -c32 -d"${seconds}s" -s bench/quotes/wrk-quotes.lua "$node1/v1/quotes/_bench/engine/AAPL" | tail -1)
  record "$engine" engine-read-rps "$(field rps "$out")"
  record "$engine" engine-read-p50-ms "$(field p50 "$out")"
  out=$(dotnet bench/quotes/QuoteProbe/bin/Release/net10.0/QuoteProbe.dll staleness \
    --nodes "$node1,http://127.0.0.1:$((port + 2)),http://127.0.0.1:$((port + 3))" \
    --key "$STOA_API_KEY" --token "$STOA_SERVER_TOKEN" --writes 500)
  # One line per reading node (2 and 3); both count towards the medians.
  while read -r line; do
    log "$line"
    record "$engine" staleness-p50-ms "$(field p50 "$line")"
    record "$engine" staleness-p99-ms "$(field p99 "$line")"
  done < <(grep "^staleness" <<< "$out")

  node bench/redis-cluster/seed-follows.mjs --base "http://127.0.0.1:$port" --key "$STOA_API_KEY" --secret "$STOA_APP_SECRET" >/dev/null
  wrk -t1 -c8 -d2s -s bench/quotes/wrk-quotes.lua "$node1/v1/users/star/followers?limit=20" >/dev/null
  out=$(wrk -t1 -c32 -d"${seconds}s" -s bench/quotes/wrk-quotes.lua "$node1/v1/users/star/followers?limit=20" | tail -1)
  [ "$(field non2xx "$out")" = 0 ] || die "followers page: $out"
  record "$engine" followers-page-rps "$(field rps "$out")"

  out=$(node --experimental-websocket bench/docs/deployed/editors.mjs --base "http://127.0.0.1:$port" --key "$STOA_API_KEY" \
    --secret "$STOA_APP_SECRET" --docs 50 --editors 4 --seconds "$seconds" 2>/dev/null | tail -1)
  record "$engine" doc-ops-per-s "$(jq -r .opsPerSecond <<< "$out")"
  record "$engine" doc-ack-p99-ms "$(jq -r .ackMs.p99 <<< "$out")"

  out=$(dotnet bench/redis-cluster/EngineProbe/bin/Release/net10.0/EngineProbe.dll fanout --redis "$redis_url" --seconds "$seconds")
  log "$out"
  record "$engine" fanout-deliveries-per-s "$(sed -n 's/.*delivered\/s=\([0-9]*\).*/\1/p' <<< "$out")"
  record "$engine" fanout-p99-ms "$(field p99 "$out")"
  out=$(dotnet bench/redis-cluster/EngineProbe/bin/Release/net10.0/EngineProbe.dll ratelimit --redis "$redis_url" --seconds "$seconds")
  log "$out"
  record "$engine" ratelimit-takes-per-s "$(sed -n 's/.*takes\/s=\([0-9]*\).*/\1/p' <<< "$out")"
  record "$engine" ratelimit-p99-ms "$(field p99 "$out")"
  stop_cluster
}

log "$(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then order="one cluster"; else order="cluster one"; fi
  for engine in $order; do
    log "round $round: $engine"
    measure "$engine"
  done
done
log "done, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# Medians per engine and the cluster's ratio to one Redis.
printf '%-26s %12s %12s %8s\n' figure "one Redis" cluster ratio
for figure in $(awk '{ print $2 }' "$results" | awk '!seen[$0]++'); do
  median() { awk -v e="$1" -v f="$figure" '$1 == e && $2 == f { print $3 }' "$results" | sort -g \
    | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
  one=$(median one) cluster=$(median cluster)
  printf '%-26s %12s %12s %8s\n' "$figure" "$one" "$cluster" "$(awk -v a="$one" -v b="$cluster" 'BEGIN { printf (a > 0 ? "%.2f" : "-"), b / a }')"
done
echo "(all runs: $(tr '\n' ';' < "$results"))"
