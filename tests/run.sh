#!/usr/bin/env bash
# Runs every test suite of the project. It first installs what the suites need (each script in
# tests/setup/ is idempotent and fast when everything is there), so it works on a fresh machine.
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Echo").
set -euo pipefail
cd "$(dirname "$0")/.."

for setup in tests/setup/*.sh; do
  [ -e "$setup" ] || continue
  echo "==> $setup"
  bash "$setup"
done

rm -rf TestResults
dotnet build HttpServer.sln -c Release
# One test assembly at a time: the machines are small and the suites start real processes.
dotnet test HttpServer.sln -c Release --no-build -m:1 \
  --logger trx --logger "console;verbosity=normal" --results-directory TestResults "$@"

# The endpoint tests again, against the NativeAOT build as a real process (what needs the in-memory
# host's internals is left out): AOT-only failures, such as reflection-based JSON, show here.
if [ $# -eq 0 ]; then
  echo "==> endpoint tests against the NativeAOT build"
  SKIP_SMOKE=1 bash bench/publish-aot.sh
  HTTPSERVER_API_PATH="$PWD/.work/aot/HttpServer.Api" dotnet test tests/HttpServer.Api.Tests -c Release --no-build \
    --filter "Host!=InMemory" --logger "trx;LogFileName=api-tests-nativeaot.trx" --results-directory TestResults
fi
