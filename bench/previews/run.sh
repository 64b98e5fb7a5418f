#!/usr/bin/env bash
# Cached preview throughput vs a static endpoint of the same process, through real HTTP (wrk).
# Usage: bench/previews/run.sh [seconds=10] [connections=32]
# Starts a local page server and one stoa node on loopback, stops both at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
connections=${2:-32}
command -v wrk >/dev/null || { [ "$(id -u)" -eq 0 ] && apt-get install -y -qq wrk >/dev/null; } || { echo "install wrk: apt-get install -y wrk" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
page_port=$(free_port); stoa_port=$(free_port)
mkdir -p "$work/pages"
python3 - "$work/pages/article.html" <<'PY'
import sys
head = ('<!doctype html><html><head><meta charset="utf-8"><title>Bench article</title>'
        '<meta property="og:title" content="Bench article"><meta property="og:image" content="/lead.jpg">'
        '<meta property="og:description" content="A page for the previews benchmark."></head><body>')
open(sys.argv[1], "w").write(head + "<p>text</p>" * 2000 + "</body></html>")
PY
(cd "$work/pages" && exec python3 -m http.server "$page_port" --bind 127.0.0.1 >/dev/null 2>&1) & pids+=($!)

dotnet build -c Release src/Stoa.Server -nologo -clp:ErrorsOnly >/dev/null
stoa=(dotnet "src/Stoa.Server/bin/Release/net10.0/stoa.dll")
export Stoa__Store="sqlite:$work/stoa.db" Stoa__Urls="http://127.0.0.1:$stoa_port" Stoa__DevMode=false \
  Stoa__RateLimits__Enabled=false Stoa__Previews__AllowedNetworks__0=127.0.0.1/32 Stoa__Previews__AllowedPorts__0="$page_port" \
  Logging__LogLevel__Default=Warning
key=$("${stoa[@]}" apps create bench --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["apiKey"])')
"${stoa[@]}" > "$work/stoa.log" 2>&1 & pids+=($!)
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$stoa_port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done

url="http://127.0.0.1:$page_port/article.html"
preview="http://127.0.0.1:$stoa_port/v1/previews?url=$(python3 -c "import urllib.parse,sys; print(urllib.parse.quote(sys.argv[1], safe=''))" "$url")"
curl -fs -H "X-Api-Key: $key" "$preview" | head -c 200; echo

# Warm both paths, then measure each in turn.
wrk -t2 -c"$connections" -d2s -H "X-Api-Key: $key" "$preview" >/dev/null
wrk -t2 -c"$connections" -d2s "http://127.0.0.1:$stoa_port/healthz" >/dev/null
cached=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "X-Api-Key: $key" "$preview")
static=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$stoa_port/healthz")
echo "== cached preview";  echo "$cached"
echo "== static /healthz"; echo "$static"
rps() { awk '/Requests\/sec/ {print $2}' <<<"$1"; }
python3 -c "import sys; c,s=float(sys.argv[1]),float(sys.argv[2]); print(f'cached preview {c:.0f} req/s, static {s:.0f} req/s, ratio {c/s*100:.0f} %')" "$(rps "$cached")" "$(rps "$static")"
