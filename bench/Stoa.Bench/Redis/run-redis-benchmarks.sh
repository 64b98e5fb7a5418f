#!/usr/bin/env bash
# Runs redis-benchmark and the Stoa.Redis BenchmarkDotNet benchmarks against the same redis-server, started here on
# a free loopback port and stopped on exit. Usage (from the repository root):
#   bench/Stoa.Bench/Redis/run-redis-benchmarks.sh [BenchmarkDotNet args, default: --job short --buildTimeout 900]
set -euo pipefail
cd "$(dirname "$0")/../../.."

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dir=$(mktemp -d)
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" --daemonize no --loglevel warning &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done

# -q prints progress with carriage returns; keep the final line only.
rb() { redis-benchmark -p "$port" "$@" -q 2>&1 | tr '\r' '\n' | grep 'requests per second' | tail -1; }

args=("$@")
# The shared machine is slow to build the BenchmarkDotNet boilerplate: allow it more than the default 120 s.
if [ ${#args[@]} -eq 0 ]; then args=(--job short --buildTimeout 900); fi

echo "== redis-benchmark -t get -c 50 -n 200000 (before) =="; rb -t get -c 50 -n 200000
echo "== redis-benchmark -t get -c 1 -n 50000 ==";             rb -t get -c 1 -n 50000

export STOA_BENCH_REDIS_URL="redis://127.0.0.1:$port"
dotnet run -c Release --project bench/Stoa.Bench -- --filter '*Stoa.Bench.Redis*' "${args[@]}"

echo "== redis-benchmark -t get -c 50 -n 200000 (after) =="; rb -t get -c 50 -n 200000
