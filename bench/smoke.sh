#!/usr/bin/env bash
# Starts one build of the Api (an executable, or a .dll run with dotnet) on loopback and checks every
# endpoint's status code and body, then SIGTERM and a clean exit. Under NativeAOT a reflection-only
# path shows up here as a 500 (there is no build warning for it).
#   bash bench/smoke.sh .work/aot/HttpServer.Api [port]
set -euo pipefail

binary=$(realpath "$1")
port=${2:-5490}
base=http://127.0.0.1:$port
log=$(mktemp)
failures=0

if [[ $binary == *.dll ]]; then command=(dotnet "$binary"); else command=("$binary"); fi
(cd "$(dirname "$binary")" && exec env -u OTEL_EXPORTER_OTLP_ENDPOINT ASPNETCORE_URLS="$base" ASPNETCORE_ENVIRONMENT=Production \
  VERSION=smoke-1 Lifecycle__DrainDelaySeconds=0 "${command[@]}") >"$log" 2>&1 &
pid=$!
trap 'kill -KILL $pid 2>/dev/null || true; rm -f "$log"' EXIT

for _ in $(seq 1 200); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "$base/readyz") == 200 ]] && break
  kill -0 $pid 2>/dev/null || { cat "$log"; echo "smoke: the Api exited early" >&2; exit 1; }
  sleep 0.05
done

# check METHOD PATH STATUS BODY-FRAGMENT [HEADER-FRAGMENT]
check() {
  local method=$1 path=$2 want=$3 fragment=$4 header=${5:-VERSION: smoke-1}
  local response status
  response=$(curl -s -i -X "$method" -H 'X-Smoke: yes' "$base$path" | tr -d '\r')
  status=$(head -1 <<<"$response" | cut -d' ' -f2)
  if [[ $status != "$want" || $response != *"$fragment"* || $response != *"$header"* ]]; then
    echo "FAIL $method $path: want $want with '$fragment' and '$header', got:" >&2
    echo "$response" | head -20 >&2
    failures=$((failures + 1))
  else
    echo "ok   $method $path -> $status"
  fi
}

check GET / 200 'X-Smoke: yes'
check OPTIONS / 204 'Allow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS'
check TRACE / 405 '"status":405'
check GET /version 200 '{"service":"HttpServer.Api","version":"smoke-1","environment":"Production"}'
check GET /headers 200 '"X-Smoke":["yes"]'
check GET /delay/0.1 200 '{"delaySeconds":0.1}'
check GET /delay/abc 400 '"title":"Invalid route value"' 'application/problem+json'
check GET /delay/11 400 'from 0 to 10' 'application/problem+json'
check GET /status/418 418 '"title":"I'"'"'m a teapot"' 'application/problem+json'
check GET /status/201 201 '{"status":201}'
check GET /status/204 204 ''
check GET /status/999 400 '"status":400' 'application/problem+json'
check GET /metrics 200 'http_server_request_duration_seconds'
check GET /readyz 200 'Healthy'
check GET /healthz 200 'Healthy'
check GET /alive 200 'Healthy'
check GET /health 200 'Healthy'
check GET /no/such/route 404 '"status":404' 'application/problem+json'

kill -TERM $pid
exit_code=0
wait $pid || exit_code=$?
if ((exit_code != 0)); then
  echo "FAIL exit code after SIGTERM: $exit_code" >&2
  failures=$((failures + 1))
else
  echo "ok   SIGTERM -> exit 0"
fi
if grep -q '"LogLevel":"Error"\|"LogLevel":"Critical"' "$log"; then
  echo "FAIL the log has errors:" >&2
  grep '"LogLevel":"Error"\|"LogLevel":"Critical"' "$log" | head -5 >&2
  failures=$((failures + 1))
fi
((failures == 0)) || { echo "smoke: $failures failure(s)" >&2; exit 1; }
echo "smoke: all endpoints answered as expected by $binary"
