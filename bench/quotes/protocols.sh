#!/usr/bin/env bash
# The cost of gRPC next to REST and SSE on one node, in one run (docs/benchmarks-quotes.md, "REST and SSE next to
# gRPC"):
#
#   bench/quotes/protocols.sh            # builds, starts Redis and one node, measures, stops them
#
# One node (Release build, Redis engine, SQLite store, simulated feed ticking, rate limits off) runs alone on CPU 0
# (BENCH_NODE_CPU); Redis and the load client (bench/quotes/QuoteProtocols, one .NET process that speaks both
# protocols with the same runtime and the same timing code) run on CPU 1 (BENCH_CLIENT_CPU).
# 1. Reads, closed loop: GET /v1/quotes/AAPL over HTTP/1.1 vs stoa.v1.Quotes/GetQuote over HTTP/2, BENCH_CONCURRENCY
#    callers (32) for BENCH_SECONDS (10) each after a 3 s warm-up; throughput and p50/p99.
# 2. Watches: for each count of BENCH_WATCHERS (100,1000,5000), that many SSE streams, then that many gRPC watches, on
#    one symbol, while the app's backend PUTs BENCH_PUTS (100) quotes at BENCH_RATE (10) per second: the share of puts
#    each watcher received, how many got the last one, put-to-receipt latency and the node's resident memory.
# The node is warmed up first (BENCH_WARMUP_SECONDS, 30, of both reads). Needs taskset, redis-server, curl and jq.
set -euo pipefail
cd "$(dirname "$0")/../.."
for tool in taskset redis-server curl jq; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install -y ${tool/taskset/util-linux}" >&2; exit 1; }
done
node_cpu=${BENCH_NODE_CPU:-0}
client_cpu=${BENCH_CLIENT_CPU:-1}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http_port=$(free_port); grpc_port=$(free_port); redis_port=$(free_port)
work=$(mktemp -d)
pids=()
on_exit() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap on_exit EXIT

dotnet build -c Release src/Stoa.Server -nologo -clp:ErrorsOnly -v quiet >/dev/null
dotnet build -c Release bench/quotes/QuoteProtocols -nologo -clp:ErrorsOnly -v quiet >/dev/null
stoa() { dotnet src/Stoa.Server/bin/Release/net10.0/stoa.dll "$@"; }
client() { taskset -c "$client_cpu" dotnet bench/quotes/QuoteProtocols/bin/Release/net10.0/QuoteProtocols.dll "$@"; }

taskset -c "$client_cpu" redis-server --port "$redis_port" --save '' --appendonly no --logfile "$work/redis.log" &
pids+=($!)
export Stoa__Store="sqlite:$work/stoa.db" Stoa__Redis="redis://127.0.0.1:$redis_port" Stoa__Urls="http://127.0.0.1:$http_port" \
  Stoa__GrpcUrls="http://127.0.0.1:$grpc_port" Stoa__RateLimits__Enabled=false Stoa__DevMode=false Stoa__LogFormat=json \
  Logging__LogLevel__Default=Warning
taskset -c "$node_cpu" dotnet src/Stoa.Server/bin/Release/net10.0/stoa.dll > "$work/node.log" 2>&1 &
node_pid=$!
pids+=("$node_pid")
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$http_port/readyz" >/dev/null && break
  sleep 0.5
done
curl -sf "http://127.0.0.1:$http_port/readyz" >/dev/null || { cat "$work/node.log" >&2; exit 1; }
credentials=$(stoa apps create bench --json)
key=$(jq -r .apiKey <<< "$credentials")
token=$(stoa token --app "$key" --user bench-backend --server --ttl 1h)
http="http://127.0.0.1:$http_port"
grpc="http://127.0.0.1:$grpc_port"

echo "# $(date -u +%FT%TZ) $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); node on CPU $node_cpu, client and Redis on CPU $client_cpu"
client reads --http "$http" --grpc "$grpc" --key "$key" --seconds "$(( ${BENCH_WARMUP_SECONDS:-30} / 2 ))" --concurrency 32 > /dev/null
client reads --http "$http" --grpc "$grpc" --key "$key" --seconds "${BENCH_SECONDS:-10}" --concurrency "${BENCH_CONCURRENCY:-32}" --pid "$node_pid"
client watch --http "$http" --grpc "$grpc" --key "$key" --token "$token" --watchers "${BENCH_WATCHERS:-100,1000,5000}" \
  --puts "${BENCH_PUTS:-100}" --rate "${BENCH_RATE:-10}" --pid "$node_pid"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
