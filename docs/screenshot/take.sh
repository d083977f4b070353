#!/usr/bin/env bash
# Takes docs/dashboard-trace.png and docs/dashboard-resources.png from a real run: starts the AppHost,
# sends /chain requests, screenshots the dashboard in headless Chromium, stops the AppHost with SIGTERM.
# Needs: Debian's chromium (installed here if missing), Node 20 and npm.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
output="${1:-$root/docs}"
log="$(mktemp)"

if ! command -v chromium >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core
fi
(cd "$here" && npm install --no-audit --no-fund --silent)

dotnet run --project "$root/HttpServer.AppHost" >"$log" 2>&1 &
apphost=$!
trap 'kill -TERM $apphost 2>/dev/null; wait $apphost 2>/dev/null || true; rm -f "$log"' EXIT

for _ in $(seq 1 180); do
  grep -q "Distributed application started" "$log" && break
  kill -0 $apphost 2>/dev/null || { cat "$log"; exit 1; }
  sleep 1
done
login="$(grep -o 'Login to the dashboard at [^ ]*' "$log" | head -1 | awk '{print $NF}')"
[ -n "$login" ] || { cat "$log"; echo "no dashboard login URL in the AppHost's output" >&2; exit 1; }

# The frontend answers once it is ready (it waits for the backend).
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null http://localhost:5080/readyz && break
  sleep 1
done
node "$here/screenshot.mjs" "$login" http://localhost:5080 "$output"
