#!/usr/bin/env bash
# bench/docs/run.sh deployed [--seconds N] [--rounds N] [--scenarios abc] [--node-cpu CORES]
#
# The docs module measured as deployed (bench/docs/README.md): scripts/cluster starts PostgreSQL, Redis, three `stoa`
# processes and haproxy (deploy/haproxy.cfg); this script adds a second haproxy, rendered from the same file with only
# node 1, as the one-node baseline on the same PostgreSQL and Redis. Clients are node.js processes of their own
# (bench/docs/deployed/*.mjs, driving the TypeScript client's DocSession, web/js/stoa-client.js) that connect through
# haproxy. Each scenario runs on 1 node and on 3 nodes in turn (the order alternating per round, so that a change of
# the machine's load falls on both), scenario a also on 3 nodes without docs routing (a third haproxy, round robin
# as before issue 22), and a table with the ratios is printed at the end (also written to $STOA_BENCH_OUTPUT when set).
#
#   a) one document, 20 editors, each keeping one op in flight: committed ops/s and p99 submit→ack
#   b) 200 documents × 5 editors: aggregate committed ops/s
#   c) one document, 200 subscribers, a writer at 50 ops/s (open loop): submit→delivery p99
#
# --seconds N   measured seconds per run after a 3 s warm-up (default 15)
# --rounds N    times each set of runs is repeated (default 3, so that the medians are real ones)
# --scenarios   which of a, b, c to run (default abc)
# --node-cpu    give each node a CPU quota of CORES (e.g. 0.25) in a cgroup of its own, as a pod's CPU limit does, so
#               that three nodes have three times the CPU of one, which a host shared by all of them cannot otherwise
#               show (root; scripts/cluster's STOA_CLUSTER_NODE_CPU). PostgreSQL, Redis, haproxy and the clients are
#               not limited.
# Environment: STOA_CLUSTER_PORT (default 19180; the other haproxys listen on that + 5 and + 6), STOA_CLUSTER_NO_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
# shellcheck source=scripts/lib/cluster-up.sh
. scripts/lib/cluster-up.sh

usage() { echo "usage: bench/docs/run.sh deployed [--seconds N] [--rounds N] [--scenarios abc] [--node-cpu CORES]" >&2; exit 2; }
[ "${1:-}" = deployed ] || usage
shift
seconds=15 rounds=3 scenarios=abc node_cpu=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --scenarios) scenarios=$2; shift 2 ;;
    --node-cpu) node_cpu=$2; shift 2 ;;
    *) usage ;;
  esac
done

log() { printf '\033[1mdocs-bench:\033[0m %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
command -v node >/dev/null || die "node (20 or later) is needed for the client processes: apt-get install nodejs"
command -v jq >/dev/null || die "jq is needed: apt-get install jq"

port=${STOA_CLUSTER_PORT:-19180}
single_port=$((port + 5)) roundrobin_port=$((port + 6))
work=$(mktemp -d /tmp/stoa-docs-bench.XXXXXX)
cluster_pid="" extra_pids=()

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for pid in "${extra_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  if [ -n "$cluster_pid" ]; then
    kill -TERM "$cluster_pid" 2>/dev/null || true
    wait "$cluster_pid" 2>/dev/null || true
  fi
  if [ $status -eq 0 ]; then rm -rf "$work"; else log "kept $work"; fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Capacity is measured, not the per-user op limiter nor the per-socket message budget (each editor would be held to
# 50 ops/s); request limits are off through STOA_CLUSTER_BENCH. The nodes inherit these from scripts/cluster.
export Stoa__Docs__OpsPerSecond=1000000 Stoa__Docs__OpsBurst=1000000
export Stoa__Docs__SocketMessagesPerSecond=1000000 Stoa__Docs__SocketMessageBurst=1000000
# The simulated quote feed is off: its leader's ticks (a transaction and publishes 14 times a second) would land on one
# of the nodes, a share of one node's CPU that is not docs work and that a node with a CPU quota feels.
export Stoa__Quotes__Feed=none
STOA_CLUSTER_PORT=$port STOA_CLUSTER_BENCH=1 STOA_CLUSTER_CREDENTIALS="$work/credentials.env" STOA_CLUSTER_NODE_CPU=$node_cpu \
  scripts/cluster > "$work/cluster.log" 2>&1 &
cluster_pid=$!
log "cluster starting (log: $work/cluster.log)"
wait_for_cluster "$work/cluster.log" "$cluster_pid" || die "no cluster"
cluster_work=$(grep -o '/tmp/stoa-cluster\.[A-Za-z0-9]*' "$work/cluster.log" | head -1)
# shellcheck disable=SC1091
. "$work/credentials.env"

# Two more haproxys, from the cluster's own haproxy.cfg (already rendered with its ports): the one-node baseline
# without nodes 2 and 3, and for scenario a the three nodes without docs routing (round robin, as before issue 22).
cp -r "$cluster_work/haproxy-errors" "$work/"
start_haproxy() { # name port sed-expression
  sed -e "s/127\.0\.0\.1:$port\$/127.0.0.1:$2/" -e "$3" "$cluster_work/haproxy.cfg" > "$work/haproxy-$1.cfg"
  haproxy -db -f "$work/haproxy-$1.cfg" > "$work/haproxy-$1.log" 2>&1 &
  extra_pids+=($!)
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$2/readyz" 2>/dev/null && return
    sleep 0.2
  done
  die "haproxy $1 does not answer: $(tail -5 "$work/haproxy-$1.log")"
}
start_haproxy single "$single_port" '/^ *server node[23] /d'
single_pid=${extra_pids[-1]}
start_haproxy roundrobin "$roundrobin_port" '/^ *use_backend stoa_docs /d'
roundrobin_pid=${extra_pids[-1]}

# --- which processes are whose, for the clients' CPU accounting over their measured window -------------------------
node_pid() {
  local p
  for p in $(pgrep -f 'stoa\.dll' || true); do
    tr '\0' '\n' < "/proc/$p/environ" 2>/dev/null | grep -qx "Stoa__Urls=http://127.0.0.1:$1" && { echo "$p"; return; }
  done
}
redis_port=$(sed -n 's/.*redis-server on \([0-9]*\).*/\1/p' "$work/cluster.log" | head -1)
processes="node1:$(node_pid $((port + 1))),node2:$(node_pid $((port + 2))),node3:$(node_pid $((port + 3)))"
processes+=",postgres:^$(head -1 "$cluster_work/pg/postmaster.pid"),redis:$(pgrep -f "redis-server 127.0.0.1:$redis_port" | head -1)"
cluster_haproxy=$(pgrep -f "haproxy -db -f $cluster_work/haproxy.cfg" | head -1)
violations() { grep -c 'duplicate key value violates unique constraint "doc_ops_pkey"' "$cluster_work/pg/server.log" || true; }
hz=$(getconf CLK_TCK)

client() { # url script args…
  local url=$1; shift
  node --experimental-websocket "$repo/bench/docs/deployed/$1.mjs" --base "$url" --key "$STOA_API_KEY" --secret "$STOA_APP_SECRET" "${@:2}"
}

results="$work/results.jsonl"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
log "load average before: $load_start ($(nproc) cores)"
# One unrecorded run on the three nodes first (node 1 is the baseline too), so that no measured run pays for the
# nodes' JIT compilation, first connections and pools.
log "warm-up: 200 documents × 5 editors on 3 nodes for 20 s, not recorded"
client "http://127.0.0.1:$port" editors --docs 200 --editors 5 --warmup 0 --seconds 20 > /dev/null || die "warm-up failed"
for round in $(seq 1 "$rounds"); do
  for scenario in $(grep -o . <<< "$scenarios"); do
    targets="1 3"
    [ "$scenario" = a ] && targets="1 3 3rr"
    # Reversed in even rounds, so that a change of the machine's load does not always fall on the same target.
    [ $((round % 2)) -eq 0 ] && targets=$(tr ' ' '\n' <<< "$targets" | tac | tr '\n' ' ')
    for target in $targets; do
      case $target in
        1) url="http://127.0.0.1:$single_port" hap=$single_pid nodes=1 routing=document ;;
        3) url="http://127.0.0.1:$port" hap=$cluster_haproxy nodes=3 routing=document ;;
        3rr) url="http://127.0.0.1:$roundrobin_port" hap=$roundrobin_pid nodes=3 routing=roundrobin ;;
      esac
      case $scenario in
        a) args=(editors --docs 1 --editors 20) ;;
        b) args=(editors --docs 200 --editors 5) ;;
        c) args=(delivery --subscribers 200 --rate 50) ;;
        *) die "unknown scenario $scenario" ;;
      esac
      log "round $round: scenario $scenario on $nodes node(s), docs routed by $routing"
      load=$(cut -d' ' -f1 /proc/loadavg)
      violations_before=$(violations)
      out=$(client "$url" "${args[@]}" --warmup 3 --seconds "$seconds" --cpu "$processes,haproxy:$hap" --hz "$hz") || die "client failed: $out"
      jq -c --arg s "$scenario" --argjson n "$nodes" --arg routing "$routing" --argjson r "$round" --argjson v "$(( $(violations) - violations_before ))" \
        --arg load "$load" '. + {scenario: $s, nodes: $n, routing: $routing, round: $r, uniqueViolations: $v, loadBefore: $load}' <<< "$out" >> "$results"
      tail -1 "$results" >&2
    done
  done
done

report=$(node "$repo/bench/docs/deployed/report.mjs" "$results")
summary="Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores${node_cpu:+, each node limited to $node_cpu cores}, load average $load_start before and $(cut -d' ' -f1-3 /proc/loadavg) after; $seconds s per run after a 3 s warm-up, $rounds round(s)."
printf '\n%s\n\n%s\n' "$summary" "$report"
[ -n "${STOA_BENCH_OUTPUT:-}" ] && printf '%s\n\n%s\n' "$summary" "$report" > "$STOA_BENCH_OUTPUT"
exit 0
