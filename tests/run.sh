#!/usr/bin/env bash
# Runs every test suite of the project. It first installs what the suites need (each script in
# tests/setup/ is idempotent and fast when everything is there), so it works on a fresh machine.
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Echo").
# Its last line is the count of .ci/count-results over every suite: each writes TestResults/SUITE.trx.
set -euo pipefail
cd "$(dirname "$0")/.."

# Before anything else: a run that fails in its setup must not leave the last run's results to be counted.
rm -rf TestResults

for setup in tests/setup/*.sh; do
  [ -e "$setup" ] || continue
  echo "==> $setup"
  bash "$setup"
done

dotnet build HttpServer.sln -c Release

# The suites: every test project, then the NativeAOT pass. One test assembly at a time: the machines are small
# and the suites start real processes.
status=0
suites=()
for project in tests/*/*.Tests.csproj; do
  suite=$(basename "$project" .csproj)
  suites+=("$suite")
  echo "==> $suite"
  dotnet test "$project" -c Release --no-build \
    --logger "trx;LogFileName=$suite.trx" --logger "console;verbosity=normal" --results-directory TestResults "$@" || status=1
done

# The endpoint tests again, against the NativeAOT build as a real process (what needs the in-memory
# host's internals is left out): AOT-only failures, such as reflection-based JSON, show here.
count_options=()
if [ $# -eq 0 ]; then
  suite=HttpServer.Api.Tests.NativeAot
  suites+=("$suite")
  echo "==> $suite: the endpoint tests against the NativeAOT build"
  if SKIP_SMOKE=1 bash bench/publish-aot.sh; then
    HTTPSERVER_API_PATH="$PWD/.work/aot/HttpServer.Api" dotnet test tests/HttpServer.Api.Tests -c Release --no-build \
      --filter "Host!=InMemory" --logger "trx;LogFileName=$suite.trx" --results-directory TestResults || status=1
  else
    status=1
  fi
else
  count_options=(--allow-empty) # a filter may leave a suite with nothing to run
fi

bash .ci/count-results "${count_options[@]}" TestResults "${suites[@]}" || status=1
exit "$status"
