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
