#!/usr/bin/env bash
# Takes docs/prometheus-injected-delay.png from a real run: the Api on loopback with the course's random 0-2 s delay
# injected into /, a real Prometheus (Debian's, as tests/setup/observability.sh installs it) scraping it every 2 s,
# a bounded load (4 clients, at most 150 requests each, 100 s at most), then Prometheus's own graph page of the delay
# histogram's quantiles in headless Chromium. Needs: Debian's chromium and prometheus (installed here if missing), Node 20.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
output="${1:-$root/docs/prometheus-injected-delay.png}"
api_port=18580 prometheus_port=19590

if ! command -v chromium >/dev/null || ! command -v prometheus >/dev/null; then
  [ "$(id -u)" -eq 0 ] || { echo "needs Debian's chromium and prometheus: run as root, or apt-get install them" >&2; exit 1; }
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core prometheus; } >/dev/null
fi
(cd "$here" && npm install --no-audit --no-fund --silent)
dotnet build "$root/HttpServer.Api" -c Release -v q -nologo >/dev/null

pids=()
work="$(mktemp -d)"
trap 'kill -TERM "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
FaultInjection__DelayMinMs=0 FaultInjection__DelayMaxMs=2000 VERSION=screenshot \
  dotnet "$root/HttpServer.Api/bin/Release/net10.0/HttpServer.Api.dll" --urls "http://127.0.0.1:$api_port" >"$work/api.log" 2>&1 &
pids+=($!)
cat >"$work/prometheus.yml" <<YAML
global: {scrape_interval: 2s, evaluation_interval: 2s}
scrape_configs:
  - job_name: httpserver-api
    static_configs: [{targets: ["127.0.0.1:$api_port"], labels: {service: backend}}]
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:$prometheus_port" >"$work/prometheus.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "http://127.0.0.1:$api_port/readyz" 2>/dev/null && break
  sleep 1
done
echo "load: 4 clients on / for at most ${LOAD_SECONDS:-100} s"
end=$((SECONDS + ${LOAD_SECONDS:-100}))
loaders=()
for _ in 1 2 3 4; do
  (for _ in $(seq 1 150); do
     [ $SECONDS -lt $end ] || break
     curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$api_port/"
   done) &
  loaders+=($!)
done
wait "${loaders[@]}"
# Two more scrapes after the last request.
sleep 6
RANGE="$(( ${LOAD_SECONDS:-100} / 60 + 1 ))m" node "$here/prometheus.mjs" "http://127.0.0.1:$prometheus_port" "$output"
