#!/usr/bin/env bash
# The quotes benchmarks, against a running cluster started for benchmarking:
#
#   STOA_CLUSTER_BENCH=1 STOA_CLUSTER_CREDENTIALS=/tmp/stoa-bench.env scripts/cluster &
#   bench/quotes/run.sh /tmp/stoa-bench.env
#
# STOA_CLUSTER_BENCH=1 turns the rate limits off (a single wrk client would otherwise hit the per-node "reads"
# bucket at once) and maps the two comparison endpoints. Prints one line per measurement.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f "${1:-}" ] || { echo "usage: bench/quotes/run.sh CREDENTIALS_FILE (see the header)" >&2; exit 2; }
# shellcheck disable=SC1090
source "$1"
export STOA_API_KEY
port=${STOA_CLUSTER_PORT:-8080}
duration=${BENCH_SECONDS:-10}
threads=${BENCH_THREADS:-1}
connections=${BENCH_CONNECTIONS:-32}
for tool in wrk gcc; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install -y $tool" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -O2 -o "$work/ratedload" bench/quotes/ratedload.c -lm
dotnet build -c Release bench/quotes/QuoteProbe -nologo -clp:ErrorsOnly -v quiet >/dev/null
probe() { dotnet bench/quotes/QuoteProbe/bin/Release/net10.0/QuoteProbe.dll "$@"; }
bench() { wrk -t"$threads" -c"$connections" -d"${duration}s" -s bench/quotes/wrk-quotes.lua "$1" | tail -1; }

echo "# $(date -u +%FT%TZ) $(nproc) cores; wrk -t$threads -c$connections -d${duration}s"
for n in 1 2 3; do
  base="http://127.0.0.1:$((port + n))"
  # Warm-up: JIT, connections, the near-cache.
  wrk -t1 -c8 -d2s -s bench/quotes/wrk-quotes.lua "$base/v1/quotes/AAPL" >/dev/null
  quote=$(bench "$base/v1/quotes/AAPL")
  static=$(bench "$base/v1/quotes/_bench/static")
  engine=$(bench "$base/v1/quotes/_bench/engine/AAPL")
  echo "node$n near-cache   $quote"
  echo "node$n static       $static"
  echo "node$n engine-read  $engine"
  max=$(sed -n 's/^rps=\([0-9]*\).*/\1/p' <<< "$quote")
  # Half the max at a fixed rate, latency counted from when each request was due (see ratedload.c).
  echo "node$n half-max     $("$work/ratedload" -R $((max / 2)) -c 64 -d "$duration" -H "X-Api-Key: $STOA_API_KEY" "$base/v1/quotes/AAPL")"
done
probe staleness --nodes "http://127.0.0.1:$((port + 1)),http://127.0.0.1:$((port + 2)),http://127.0.0.1:$((port + 3))" \
  --key "$STOA_API_KEY" --token "$STOA_SERVER_TOKEN" --writes "${BENCH_WRITES:-1000}"
