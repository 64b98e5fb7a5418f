#!/usr/bin/env bash
# What a signed-in page costs beside an anonymous one: the max throughput (wrk 2 threads x 8 connections, closed
# loop) and the CPU time the node and PostgreSQL spend per request (cpu.sh), for the first page (from the cache when
# the node has one) and the 10,000-deep page of `top` on `seed-big`, ROUNDS rounds of anonymous then signed in.
# Needs: a running stoa on BASE (NODE_PID: its dotnet process) over PostgreSQL on this machine, seeded as for run.sh.
# usage: cost.sh BASE NODE_PID PSQL_URL API_KEY SECRET [SECONDS] [ROUNDS]
set -euo pipefail
base=$1 node=$2 url=$3 key=$4 secret=$5 seconds=${6:-10} rounds=${7:-3}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/comments/cpu.sh
source "$here/cpu.sh"
app=$(psql "$url" -Atc "SELECT id FROM apps WHERE api_key = '$key'")
postmaster=$(postmaster_of "$url")
deep="cursor=$("$here/cursor.sh" "$url" "$app" seed-big top 10000)"
dotnet build "$here/Stoa.Comments.Bench" -c Release -nologo -clp:ErrorsOnly -v quiet >/dev/null
token=$(dotnet "$here/Stoa.Comments.Bench/bin/Release/net10.0/Stoa.Comments.Bench.dll" token --secret "$secret" --user bench-reader)

echo "| page | reader | round | req/s | p50 | p99 | node CPU per request | PostgreSQL CPU per request | load average |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
for page in first deep; do
  path="/v1/threads/seed-big/comments?sort=top&limit=25"
  [[ $page == deep ]] && path="$path&$deep"
  # Warm-up: a pooled connection prepares a statement at its fifth run.
  wrk -t 1 -c 4 -d 3s -H "X-Api-Key: $key" "$base$path" >/dev/null
  wrk -t 1 -c 4 -d 3s -H "X-Api-Key: $key" -H "Authorization: Bearer $token" "$base$path" >/dev/null
  for round in $(seq "$rounds"); do
    for reader in anonymous signed-in; do
      headers=(-H "X-Api-Key: $key")
      [[ $reader == signed-in ]] && headers+=(-H "Authorization: Bearer $token")
      echo "| $page | $reader | $round | $(wrk_cost "$node" "$postmaster" "$seconds" "$base$path" "${headers[@]}") | $(cut -d' ' -f1-3 /proc/loadavg) |"
    done
  done
done
