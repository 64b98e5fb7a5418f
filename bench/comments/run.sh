#!/usr/bin/env bash
# Latency of the comments listings through HTTP (first page and a page 10,000 deep, each sort), anonymous and signed in,
# then real vote changes per second on the thread's most upvoted comment with 200 voters. Needs: a running stoa on
# $BASE over PostgreSQL seeded with `stoa seed comments` and a Redis (as deployed: first pages cached there), wrk, psql,
# gcc. See README.md for the whole sequence.
# usage: run.sh BASE PSQL_URL API_KEY SECRET [DURATION_SECONDS] [RATE_PERCENT]
#   SORTS="new top" run.sh …   measures only those sorts
set -euo pipefail
base=$1 url=$2 key=$3 secret=$4 seconds=${5:-10} percent=${6:-30}
here=$(cd "$(dirname "$0")" && pwd)
thread=seed-big
app=$(psql "$url" -Atc "SELECT id FROM apps WHERE api_key = '$key'")
read -r -a sorts <<< "${SORTS:-new old top replies best hot controversial}"

work=$(mktemp -d /tmp/stoa-comments-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
gcc -O2 -o "$work/ratedload" "$here/../quotes/ratedload.c" -lm
dotnet build "$here/Stoa.Comments.Bench" -c Release -nologo -clp:ErrorsOnly -v quiet >/dev/null
bench() { dotnet "$here/Stoa.Comments.Bench/bin/Release/net10.0/Stoa.Comments.Bench.dll" "$@"; }
# A reader with votes and likes of their own on the thread is what a signed-in page costs: give them some.
token=$(bench token --secret "$secret" --user bench-reader)

declare -A cursors
for sort in "${sorts[@]}"; do cursors[$sort]=$("$here/cursor.sh" "$url" "$app" "$thread" "$sort" 10000); done
path_of() { # SORT first|deep
  local path="/v1/threads/$thread/comments?sort=$1&limit=25"
  [[ $2 == deep ]] && path="$path&cursor=${cursors[$1]}"
  echo "$path"
}
for id in $(psql "$url" -Atc "SELECT id FROM comments WHERE app_id = '$app' AND thread_id = '$thread' AND parent_id = '00000000-0000-0000-0000-000000000000' ORDER BY random() LIMIT 200"); do
  curl -fsS -o /dev/null -X PUT -H "X-Api-Key: $key" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"value":1}' "$base/v1/comments/$id/vote"
done

# Warm-up: every page once for a while (JIT, PostgreSQL's buffer cache, connection pools, prepared statements).
# Without it the first sort measured pays for all of this (it was `new`, which looked 3x slower than the others).
for sort in "${sorts[@]}"; do
  for page in first deep; do
    wrk -t 1 -c 4 -d 2s -H "X-Api-Key: $key" "$base$(path_of "$sort" "$page")" >/dev/null
    wrk -t 1 -c 4 -d 2s -H "X-Api-Key: $key" -H "Authorization: Bearer $token" "$base$(path_of "$sort" "$page")" >/dev/null
  done
done

# For each page, anonymous and signed in: closed loop (wrk 2 threads x 8 connections: the max), then open loop at
# RATE_PERCENT of that max (ratedload: requests due at an even rate, latency counted from each one's due time).
echo "| sort | page | reader | max req/s | p50 / p99 at max | fixed rate req/s | p50 | p99 | p99.9 | load average |"
echo "| --- | --- | --- | ---: | --- | ---: | ---: | ---: | ---: | --- |"
for sort in "${sorts[@]}"; do
  for page in first deep; do
    path=$(path_of "$sort" "$page")
    for reader in anonymous signed-in; do
      headers=(-H "X-Api-Key: $key")
      [[ $reader == signed-in ]] && headers+=(-H "Authorization: Bearer $token")
      out=$(wrk -t 2 -c 8 -d "${seconds}s" --latency "${headers[@]}" "$base$path")
      p50=$(awk '/^ +50%/ {print $2}' <<<"$out"); p99=$(awk '/^ +99%/ {print $2}' <<<"$out")
      rps=$(awk '/^Requests\/sec/ {printf "%d", $2}' <<<"$out")
      non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
      fixed=$("$work/ratedload" -R $((rps * percent / 100)) -c 16 -d "$seconds" "${headers[@]}" "$base$path")
      f() { sed -n "s/.*[ ^]$1=\([0-9.]*\).*/\1/p" <<<" $fixed"; }
      echo "| $sort | $page | $reader | $rps${non2xx:+ (non-2xx: $non2xx)} | $p50 / $p99 | $(f rps) | $(f p50) ms | $(f p99) ms | $(f p99.9) ms | $(cut -d' ' -f1-3 /proc/loadavg) |"
    done
  done
done

comment=$(psql "$url" -Atc "SELECT id FROM comments WHERE app_id = '$app' AND thread_id = '$thread' ORDER BY upvotes DESC LIMIT 1")
echo
echo "votes on comment $comment, 200 voters (load average $(cut -d' ' -f1-3 /proc/loadavg)):"
bench votes --url "$base" --key "$key" --secret "$secret" --comment "$comment" --voters 200 --warmup 5 --seconds "$seconds"
