#!/usr/bin/env bash
# Where the time goes, for the goals bench/results.md misses. Uses the builds bench/run.sh published.
#   bash bench/profile.sh jit-methods   # methods the JIT build compiles before it is ready, by namespace
#   bash bench/profile.sh cpu [BUILD]   # perf profile of GET / under wrk: top frames, inclusive (BUILD: api-jit, default)
#   PROFILE_WARMUP=30 bash bench/profile.sh cpu   # seconds of load before recording (default 12; measure.py warms up 30)
# The server runs on CPU 0 and wrk on CPU 1, as in measure.py; only 127.0.0.1:5470 is used, wrk runs 20 s in all.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$root/.work/bench
port=5470
mode=${1:-cpu}
build=${2:-api-jit}
exe=$work/$build/HttpServer.Api
[[ -x $exe ]] || { echo "profile: $exe missing: run bash bench/run.sh --publish-only first" >&2; exit 1; }
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }

if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
  echo "profile: something already answers on 127.0.0.1:$port" >&2; exit 1
fi
# Only these settings reach the server (as in harness.py): an OTLP endpoint in the shell would turn tracing on.
unset $(env | grep -oE '^(OTEL_|ASPNETCORE_|DOTNET_)[A-Za-z0-9_]*' | grep -v '^DOTNET_ROOT') 2>/dev/null || true
export ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS=http://127.0.0.1:$port VERSION=1.0.0-profile \
  Lifecycle__DrainDelaySeconds=0
# The content root is the working directory, and the host watches it (and what is below it) for appsettings
# changes: run from the build's folder, as measure.py does, so the access log written to .work/bench is not in it.
cd "$(dirname "$exe")"
pid=""
trap '[[ -n $pid ]] && kill -TERM $pid 2>/dev/null; wait 2>/dev/null || true' EXIT
wait_ready() {
  for _ in $(seq 1 1000); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz") == 200 ]] && return 0
    sleep 0.01
  done
  echo "profile: not ready" >&2; return 1
}

case $mode in
  jit-methods)
    list=$work/jit-methods.txt
    rm -f "$list"
    DOTNET_JitStdOutFile=$list DOTNET_JitDisasmSummary=1 taskset -c 0 "$exe" >/dev/null &
    pid=$!
    wait_ready
    kill -TERM $pid; wait $pid || true; pid=""
    python3 - "$list" <<'PY'
import collections, re, sys
count, il = collections.Counter(), collections.Counter()
for line in open(sys.argv[1]):
    m = re.search(r"JIT compiled (.*) \[(.*?), IL size=(\d+)", line)
    if m:
        top = ".".join(re.split(r"[:`\[+]", m.group(1))[0].split(".")[:2])
        count[top] += 1
        il[top] += int(m.group(3))
print(f"{sum(count.values())} methods compiled before ready; by namespace (methods, IL bytes):")
for name, n in count.most_common(20):
    print(f"{n:6} {il[name]:8}  {name}")
PY
    ;;
  cpu)
    command -v perf >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf; }
    DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 taskset -c 0 "$exe" >"$work/profile-access.log" &
    pid=$!
    wait_ready
    load=(taskset -c 1 wrk -t1 -c32 -H 'User-Agent: wrk' -H 'Accept: */*' -H 'X-Request-Id: profile' "http://127.0.0.1:$port/")
    "${load[@]}" -d${PROFILE_WARMUP:-12}s >/dev/null   # tiered compilation settles
    "${load[@]}" -d8s | grep Requests/sec &
    perf record -F 2999 -g -p $pid -o "$work/perf.data" -- sleep 6 2>/dev/null
    wait %2 2>/dev/null || true
    kill -TERM $pid; wait $pid || true; pid=""
    perf report -i "$work/perf.data" --children --sort symbol --stdio -g none 2>/dev/null \
      | grep '%' | grep -v '0x0000' | head -60 | cut -c1-220
    ;;
  *) echo "usage: $0 jit-methods | cpu [BUILD]" >&2; exit 2 ;;
esac
