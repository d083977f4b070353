#!/usr/bin/env bash
# A kubectl (and helm) for deploy's tests: records each call's arguments (one line each, in $RECORD_DIR/calls) and answers
# as the tool does against a cluster in the state $CLUSTER names: "ready" (has everything), "bare" (has nothing deploy
# needs), "old" (ready, but Kubernetes 1.29) or "plain" (ready, but no CRD installed). A call whose arguments contain the word $FAIL_ON fails as a rejected
# request would. Renders are the real tools' ($REAL_KUBECTL, $REAL_HELM); what an apply or a Helm upgrade would send is
# rendered into $RECORD_DIR/applied.yaml, and what `create -f -` reads on stdin kept in $RECORD_DIR/created.json. No API
# server is faked: nothing here answers HTTP.
set -euo pipefail
printf '%s\n' "$*" >> "$RECORD_DIR/calls"
args=" $* "
if [ -n "${FAIL_ON:-}" ] && [[ "$args" == *" $FAIL_ON "* ]]; then echo "the server rejected it" >&2; exit 1; fi
notfound() { echo "Error from server (NotFound): $1 not found" >&2; exit 1; }
ready() { [ "$CLUSTER" != bare ]; }
last() { echo "${@: -1}"; }
case "$args" in
  " kustomize "*) exec "$REAL_KUBECTL" kustomize "$(last "$@")" ;;
  " template "*) exec "$REAL_HELM" "$@" ;;
  " upgrade --install "*)
    values=(); for a in "${@:3}"; do [ "$a" = --reset-values ] || values+=("$a"); done
    "$REAL_HELM" template "${values[@]}" > "$RECORD_DIR/applied.yaml"; echo "Release \"$3\" has been upgraded. Happy Helming!" ;;
  " uninstall "*) echo "release \"$2\" uninstalled" ;;
  *" get --raw /version "*) minor=$([ "$CLUSTER" = old ] && echo 29 || echo 31+); echo "{\"major\":\"1\",\"minor\":\"$minor\"}" ;;
  *" get namespace "*) ready && echo "namespace/${args#* get namespace }" | cut -d' ' -f1 || notfound namespace ;;
  *" get ingressclass "*) ready && echo "ingressclass.networking.k8s.io/nginx" || notfound ingressclass ;;
  *" get apiservice "*) ready && echo "True" || echo "False" ;;
  *" get daemonsets "*) echo "daemonset.apps/kube-proxy"; ready && echo "daemonset.apps/calico-node" || true ;;
  *" get pods "*) ready && echo "pod/coredns-7db6d8ff4d-x2x9p" || true ;;
  *" get crd "*) ready && [ "$CLUSTER" != plain ] && echo "customresourcedefinition.apiextensions.k8s.io/${args#* get crd }" | cut -d' ' -f1 || notfound crd ;;
  *" get secret "*) ;; # --ignore-not-found: nothing printed, the Secret does not exist
  *" create -f - "*) cat > "$RECORD_DIR/created.json"; echo "secret/placeholder created" ;;
  *" apply "*) "$REAL_KUBECTL" kustomize "$(last "$@")" > "$RECORD_DIR/applied.yaml"; echo "deployment.apps/backend serverside-applied" ;;
  *" delete "*) echo "deployment.apps \"backend\" deleted" ;;
  *" rollout status "*) echo "deployment successfully rolled out" ;;
  *) echo "recording-kubectl: no answer recorded for: $*" >&2; exit 2 ;;
esac
