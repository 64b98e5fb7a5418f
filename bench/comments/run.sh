#!/usr/bin/env bash
# Latency of the comments listings through HTTP (first page and a page 10,000 deep, each sort) and votes/s on one
# hot comment with 200 concurrent voters. Needs: a running stoa on $BASE over PostgreSQL seeded with
# `stoa seed comments`, wrk, psql, python3. See README.md for the whole sequence.
# usage: run.sh BASE PSQL_URL API_KEY SECRET [DURATION]
set -euo pipefail
base=$1 url=$2 key=$3 secret=$4 duration=${5:-10s}
here=$(cd "$(dirname "$0")" && pwd)
thread=seed-big
app=$(psql "$url" -Atc "SELECT id FROM apps WHERE api_key = '$key'")

sorts=(new old top replies best hot controversial)
declare -A cursors
for sort in "${sorts[@]}"; do cursors[$sort]=$("$here/cursor.sh" "$url" "$app" "$thread" "$sort" 10000); done
path_of() { # SORT first|deep
  local path="/v1/threads/$thread/comments?sort=$1&limit=25"
  [[ $2 == deep ]] && path="$path&cursor=${cursors[$1]}"
  echo "$path"
}

# Warm-up: every page once for a while (JIT, PostgreSQL's buffer cache, connection pools). Without it the first
# sort measured pays for all of this (it was `new`, which looked 3x slower than the others).
for sort in "${sorts[@]}"; do
  for page in first deep; do wrk -t 1 -c 4 -d 2s -H "X-Api-Key: $key" "$base$(path_of "$sort" "$page")" >/dev/null; done
done

# Closed loop (max throughput), then a fixed rate of half that max: connections each waiting 2 ms between
# requests (wrk-rate.lua), the latency a page has when the node is not saturated.
export STOA_API_KEY=$key
echo "| sort | page | max req/s | p50 at max | p99 at max | fixed rate req/s | p50 | p99 | p99.9 |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for sort in "${sorts[@]}"; do
  for page in first deep; do
    path=$(path_of "$sort" "$page")
    out=$(wrk -t 2 -c 8 -d "$duration" --latency -H "X-Api-Key: $key" "$base$path")
    p50=$(awk '/^ +50%/ {print $2}' <<<"$out"); p99=$(awk '/^ +99%/ {print $2}' <<<"$out")
    rps=$(awk '/^Requests\/sec/ {printf "%d", $2}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
    connections=$(( (rps * 2 + 1000) / 2000 )); [ "$connections" -ge 1 ] || connections=1
    fixed=$(wrk -t 1 -c "$connections" -d "$duration" -s "$here/../quotes/wrk-rate.lua" "$base$path" -- 2 | tail -1)
    f() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$fixed"; }
    echo "| $sort | $page | $rps${non2xx:+ (non-2xx: $non2xx)} | $p50 | $p99 | $(f rps) | $(f p50)ms | $(f p99)ms | $(f p99.9)ms |"
  done
done

comment=$(psql "$url" -Atc "SELECT id FROM comments WHERE app_id = '$app' AND thread_id = '$thread' ORDER BY upvotes DESC LIMIT 1")
python3 "$here/make-tokens.py" "$secret" 200 > /tmp/stoa-vote-tokens.txt
echo
echo "votes on comment $comment, 200 connections, one voter each:"
wrk -t 2 -c 200 -d "$duration" --latency -s "$here/votes.lua" "$base" -- "$comment" "$key" /tmp/stoa-vote-tokens.txt
psql "$url" -Atc "SELECT 'counters up/down: ' || upvotes || '/' || downvotes FROM comments WHERE id = '$comment'"
