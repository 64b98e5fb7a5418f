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

echo "| sort | page | p50 | p99 | req/s |"
echo "| --- | --- | --- | --- | --- |"
for sort in new old top replies best hot controversial; do
  cursor=$("$here/cursor.sh" "$url" "$app" "$thread" "$sort" 10000)
  for page in first deep; do
    path="/v1/threads/$thread/comments?sort=$sort&limit=25"
    [[ $page == deep ]] && path="$path&cursor=$cursor"
    out=$(wrk -t 2 -c 8 -d "$duration" --latency -H "X-Api-Key: $key" "$base$path")
    p50=$(awk '/^ +50%/ {print $2}' <<<"$out"); p99=$(awk '/^ +99%/ {print $2}' <<<"$out")
    rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
    echo "| $sort | $page | $p50 | $p99 | $rps${non2xx:+ (non-2xx: $non2xx)} |"
  done
done

comment=$(psql "$url" -Atc "SELECT id FROM comments WHERE app_id = '$app' AND thread_id = '$thread' ORDER BY upvotes DESC LIMIT 1")
python3 "$here/make-tokens.py" "$secret" 200 > /tmp/stoa-vote-tokens.txt
echo
echo "votes on comment $comment, 200 connections, one voter each:"
wrk -t 2 -c 200 -d "$duration" --latency -s "$here/votes.lua" "$base" -- "$comment" "$key" /tmp/stoa-vote-tokens.txt
psql "$url" -Atc "SELECT 'counters up/down: ' || upvotes || '/' || downvotes FROM comments WHERE id = '$comment'"
