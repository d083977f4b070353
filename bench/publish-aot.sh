#!/usr/bin/env bash
# Publishes HttpServer.Api as a NativeAOT executable and smoke-tests it.
#   bash bench/publish-aot.sh            -> .work/aot/HttpServer.Api
#   AOT_OUT=/some/dir bash bench/publish-aot.sh
# Fails on any build warning (trim/AOT analysis included) or a failed smoke test.
# The endpoint tests run against the result with HTTPSERVER_API_PATH=<repo>/.work/aot/HttpServer.Api.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${AOT_OUT:-$root/.work/aot}
log=$root/.work/aot-publish.log
mkdir -p "$root/.work"

# ILCompiler links with the platform toolchain (clang or gcc) and needs zlib's headers.
missing=()
command -v gcc >/dev/null || command -v clang >/dev/null || missing+=(gcc)
dpkg -s zlib1g-dev >/dev/null 2>&1 || missing+=(zlib1g-dev)
if ((${#missing[@]})); then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

dotnet publish "$root/HttpServer.Api" -c Release -r linux-x64 -p:PublishAot=true -o "$out" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if ((status != 0)); then
  echo "publish-aot: dotnet publish failed ($status)" >&2
  exit "$status"
fi
if grep -E -q ': warning [A-Z]+[0-9]+' "$log"; then
  echo "publish-aot: the publish had warnings (see $log)" >&2
  exit 1
fi

if [[ ${SKIP_SMOKE:-} != 1 ]]; then
  bash "$root/bench/smoke.sh" "$out/HttpServer.Api"
fi
echo "publish-aot: $out/HttpServer.Api"
