#!/usr/bin/env bash
# What preparing statements and skipping the pool's reset buy: one node, first-page cache off (every listing runs its
# SQL), started three times over the same seeded PostgreSQL with the Stoa:Store URL set to
#   max_auto_prepare=0&reset_on_close=true   Npgsql's defaults: each statement parsed and planned on every run,
#                                             DISCARD ALL before the first statement of every checkout
#   reset_on_close=true                      statements prepared, Npgsql's seven-command reset on every checkout
#   (nothing)                                statements prepared, no reset (Stoa's default)
# and each time measures the max (wrk, closed loop) of a first and a 10,000-deep `top` page, anonymous and signed in,
# with the CPU time the node and PostgreSQL spend per request (cpu.sh).
# usage: prepared.sh STOA_DLL PSQL_URL API_KEY SECRET [SECONDS] [PORT]
set -euo pipefail
dll=$1 url=$2 key=$3 secret=$4 seconds=${5:-10} port=${6:-18290}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/comments/cpu.sh
source "$here/cpu.sh"
postmaster=$(postmaster_of "$url")
app=$(psql "$url" -Atc "SELECT id FROM apps WHERE api_key = '$key'")
deep="cursor=$("$here/cursor.sh" "$url" "$app" seed-big top 10000)"
dotnet build "$here/Stoa.Comments.Bench" -c Release -nologo -clp:ErrorsOnly -v quiet >/dev/null
token=$(dotnet "$here/Stoa.Comments.Bench/bin/Release/net10.0/Stoa.Comments.Bench.dll" token --secret "$secret" --user bench-reader)
node=""
trap '[ -n "$node" ] && kill "$node" 2>/dev/null || true' EXIT

echo "| store URL options | page | reader | req/s | p50 | p99 | node CPU per request | PostgreSQL CPU per request | load average |"
echo "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"
for options in "max_auto_prepare=0&reset_on_close=true" "reset_on_close=true" ""; do
  Stoa__Store="$url${options:+?$options}" Stoa__Urls="http://127.0.0.1:$port" Stoa__Modules=comments Stoa__DevMode=false \
    Stoa__RateLimits__Enabled=false Stoa__Comments__CacheFirstPages=false dotnet "$dll" > /dev/null 2>&1 &
  node=$!
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null; do sleep 0.2; done
  # Warm-up: every page once for a while, then the measures (a node just started is still compiling its hot paths).
  for pass in warm-up measure; do
    for page in first deep; do
      path="/v1/threads/seed-big/comments?sort=top&limit=25"
      [[ $page == deep ]] && path="$path&$deep"
      for reader in anonymous signed-in; do
        headers=(-H "X-Api-Key: $key")
        [[ $reader == signed-in ]] && headers+=(-H "Authorization: Bearer $token")
        if [[ $pass == warm-up ]]; then
          wrk -t 1 -c 8 -d 5s "${headers[@]}" "http://127.0.0.1:$port$path" > /dev/null
        else
          echo "| ${options:-(default)} | $page | $reader | $(wrk_cost "$node" "$postmaster" "$seconds" "http://127.0.0.1:$port$path" "${headers[@]}") |" \
            "$(cut -d' ' -f1-3 /proc/loadavg) |"
        fi
      done
    done
  done
  kill "$node"; wait "$node" 2>/dev/null || true; node=""
done
