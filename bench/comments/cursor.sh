#!/usr/bin/env bash
# Prints the cursor that starts the page after the first N top-level comments of a thread in a sort, computed in SQL
# (the same encoding as the API's: base64url of "c1|sort|-|longKey|doubleKey|idN").
# usage: cursor.sh PSQL_URL APP_ID THREAD SORT N
set -euo pipefail
url=$1 app=$2 thread=$3 sort=$4 n=$5
case $sort in
  new) order="created_at DESC, id DESC"; key="(extract(epoch from created_at) * 10000000)::bigint + 621355968000000000 || '|0'" ;;
  old) order="created_at ASC, id ASC"; key="(extract(epoch from created_at) * 10000000)::bigint + 621355968000000000 || '|0'" ;;
  top) order="upvotes DESC, id DESC"; key="upvotes || '|0'" ;;
  replies) order="reply_count DESC, id DESC"; key="reply_count || '|0'" ;;
  best) order="best DESC, id DESC"; key="'0|' || best::text" ;;
  hot) order="hot DESC, id DESC"; key="'0|' || hot::text" ;;
  controversial) order="controversy DESC, id DESC"; key="'0|' || controversy::text" ;;
esac
raw=$(psql "$url" -Atc "SELECT 'c1|$sort|-|' || $key || '|' || replace(id::text, '-', '') FROM comments
  WHERE app_id = '$app' AND thread_id = '$thread' AND parent_id = '00000000-0000-0000-0000-000000000000'
  ORDER BY $order OFFSET $((n - 1)) LIMIT 1")
printf '%s' "$raw" | base64 -w0 | tr '+/' '-_' | tr -d '='
