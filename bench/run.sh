#!/usr/bin/env bash
# The whole benchmark in one command: installs wrk and nginx if missing, publishes the Api four ways (JIT,
# ReadyToRun, the image's composite ReadyToRun, NativeAOT), the bare app, the user stack and the OTLP receiver,
# measures, and writes bench/results.md.
#   bash bench/run.sh                 # ~15 minutes of measuring after the builds (~5-10 to build)
#   bash bench/run.sh --rounds 2      # a quicker trial (any option of bench/measure.py)
#   bash bench/run.sh --publish-only  # or --no-publish: build now, measure later (reuses .work/bench)
# Only loopback is loaded (127.0.0.1:5410-5480), every wrk run is bounded in time and connections.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$root/.work/bench
cd "$root"

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || missing+=(nginx)
command -v python3 >/dev/null || missing+=(python3)
if ((${#missing[@]})); then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
if (($(nproc) < 2)); then
  echo "bench: needs 2 CPUs (one for the server, one for wrk)" >&2
  exit 1
fi

step=all
case ${1:-} in
  --publish-only) step=publish; shift ;;
  --no-publish) step=measure; shift ;;
esac

publish() { dotnet publish "$@" -c Release --nologo -v quiet -clp:ErrorsOnly; }
if [[ $step != measure ]]; then
  echo "bench: publishing the builds"
  # The plain JIT build (framework-dependent, like the bare app): HttpServer.Api.csproj's publish defaults turned off.
  publish HttpServer.Api -p:PublishReadyToRun=false -p:PublishSelfContained=false -p:PublishTrimmed=false -o "$work/api-jit"
  # The builds with a runtime identifier get intermediate files of their own, or one would pick up another's
  # precompiled assemblies (a composite's component assemblies abort without it).
  publish HttpServer.Api -r linux-x64 --self-contained false -p:PublishTrimmed=false \
    -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=false \
    --artifacts-path "$work/artifacts-r2r" -o "$work/api-r2r"
  # The image's build, with tests/setup/podman.sh's arguments: the csproj makes it trimmed and composite ReadyToRun.
  publish HttpServer.Api -r linux-x64 --self-contained --artifacts-path "$work/artifacts-image" -o "$work/api-image"
  bash bench/publish-aot.sh >/dev/null
  publish bench/BareKestrel -o "$work/bare"
  publish bench/UserStack -o "$work/userstack"
  publish bench/OtlpReceiver -o "$work/otlp"
fi
if [[ $step != publish ]]; then
  echo "bench: measuring"
  python3 bench/measure.py "$@"
fi
