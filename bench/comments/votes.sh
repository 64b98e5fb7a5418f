#!/usr/bin/env bash
# Real vote changes per second on one hot comment: 200 voters, each with one request in flight, each request a real
# change (up, down, clear, like, unlike). Four runs, each on a new comment: node 1 alone; node 1 alone behind haproxy;
# the three nodes behind haproxy as deployed (deploy/haproxy.cfg: a comment's votes go to one node, chosen by its id);
# the three nodes behind a haproxy with that rule taken out (round robin).
# Needs the cluster up: STOA_CLUSTER_BENCH=1 STOA_CLUSTER_CREDENTIALS=FILE scripts/cluster
# usage: bench/comments/votes.sh CREDENTIALS_FILE [SECONDS] [VOTERS]
set -euo pipefail
cd "$(dirname "$0")/../.."
credentials=$1 seconds=${2:-10} voters=${3:-200}
# shellcheck disable=SC1090
source "$credentials"
port=$STOA_CLUSTER_PORT
nodes="http://127.0.0.1:$((port + 1)),http://127.0.0.1:$((port + 2)),http://127.0.0.1:$((port + 3))"

dotnet build bench/comments/Stoa.Comments.Bench -c Release -nologo -clp:ErrorsOnly -v quiet >/dev/null
bench() { dotnet bench/comments/Stoa.Comments.Bench/bin/Release/net10.0/Stoa.Comments.Bench.dll "$@"; }

# Two more haproxies on the deployed file, on the ports after the nodes': without the by-comment rule (round robin:
# every node's batches wait on the others' for the row), and with node 1 alone behind it (what the hop through
# haproxy costs on this machine, where it shares the cores with the nodes).
work=$(mktemp -d /tmp/stoa-votes.XXXXXX)
cp -r deploy/haproxy-errors "$work/"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
proxy() { # name port sed-expression…
  local name=$1 listen=$2
  shift 2
  sed "$@" -e "s/127\.0\.0\.1:8080/127.0.0.1:$listen/" -e "s/127\.0\.0\.1:8081/127.0.0.1:$((port + 1))/" \
    -e "s/127\.0\.0\.1:8082/127.0.0.1:$((port + 2))/" -e "s/127\.0\.0\.1:8083/127.0.0.1:$((port + 3))/" deploy/haproxy.cfg > "$work/$name.cfg"
  haproxy -db -f "$work/$name.cfg" > "$work/$name.log" 2>&1 &
  pids+=($!)
  until curl -fsS -o /dev/null "http://127.0.0.1:$listen/readyz" 2>/dev/null; do sleep 0.2; done
}
rr_port=$((port + 4)) one_port=$((port + 5))
proxy round-robin "$rr_port" -e '/use_backend stoa_by_comment/d'
proxy node1-only "$one_port" -e '/server node[23] /d'

run() { # label url
  echo "$1 (load average $(cut -d' ' -f1-3 /proc/loadavg)):"
  bench votes --url "$2" --key "$STOA_API_KEY" --secret "$STOA_APP_SECRET" --voters "$voters" --warmup 5 --seconds "$seconds" --metrics "$nodes"
}
run "node 1 alone" "http://127.0.0.1:$((port + 1))"
run "node 1 alone behind haproxy" "http://127.0.0.1:$one_port"
run "3 nodes, haproxy as deployed (by comment id)" "http://127.0.0.1:$port"
run "3 nodes, haproxy round robin" "http://127.0.0.1:$rr_port"
