#!/usr/bin/env bash
# Sourced by cost.sh and prepared.sh. CPU time per request, the node's (/proc/PID/stat) and PostgreSQL's (its
# postmaster and children), beside wrk's throughput and latency: on cores shared with other work, throughput and
# latency move with the machine's load, CPU per request much less, so it is what compares runs minutes apart.

# The postmaster of the PostgreSQL at URL (its data directory must be readable, as root on the same machine).
postmaster_of() { head -1 "$(psql "$1" -Atc 'SHOW data_directory')/postmaster.pid"; }

# A backend that exits between pgrep and the read is left out (its file is gone).
ticks() { { cat "$@" 2>/dev/null || true; } | awk '{s += $14 + $15} END {print s + 0}'; }
postgres_ticks() { ticks "/proc/$1/stat" $(pgrep -P "$1" | sed 's|.*|/proc/&/stat|'); }

# wrk_cost NODE_PID POSTMASTER_PID SECONDS URL [-H header]...
# prints "req/s | p50 | p99 | node CPU per request | PostgreSQL CPU per request" (wrk 2 threads x 8 connections)
wrk_cost() {
  local node=$1 postmaster=$2 seconds=$3 url=$4
  shift 4
  local n0 p0 n1 p1 out
  n0=$(ticks "/proc/$node/stat") p0=$(postgres_ticks "$postmaster")
  out=$(wrk -t 2 -c 8 -d "${seconds}s" --latency "$@" "$url")
  n1=$(ticks "/proc/$node/stat") p1=$(postgres_ticks "$postmaster")
  awk -v n="$(awk '/requests in/ {print $1}' <<<"$out")" -v s="$seconds" -v hz="$(getconf CLK_TCK)" -v node=$((n1 - n0)) \
      -v pg=$((p1 - p0)) -v p50="$(awk '/^ +50%/ {print $2}' <<<"$out")" -v p99="$(awk '/^ +99%/ {print $2}' <<<"$out")" 'BEGIN {
    printf "%d | %s | %s | %.0f µs | %.0f µs\n", n / s, p50, p99, node / hz * 1e6 / n, pg / hz * 1e6 / n }'
}
