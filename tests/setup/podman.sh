#!/usr/bin/env bash
# Prepares the pod-lifecycle conformance suite (tests/HttpServer.Conformance.Tests) on a fresh Debian 12
# machine, offline except for the Debian and NuGet registries:
#   1. installs podman, runc, debootstrap, Debian's docker-registry, nginx, gcc and zlib1g-dev (what is missing);
#   2. writes the containers.conf this machine needs (runc, ulimits podman can set) to .work/podman/;
#   3. builds a minimal Debian base image with debootstrap (user app, uid 1654) and serves it from a
#      local registry on 127.0.0.1:5000, as the SDK's container publishing can only pull from a registry;
#   4. publishes the real image (dotnet publish -t:PublishContainer, self-contained linux-x64, repository and
#      tag as HttpServer.Api.csproj says: httpserver-api:1.0.0) and its NativeAOT variant (1.0.0-aot), and
#      loads both into podman.
# Idempotent: each step is skipped when its result is already there (the base rootfs, the registry data
# and a hash of the Api's sources are kept under .work/podman/), so a rerun takes a few seconds. In a fresh
# clone on a machine that ran it before, the base image comes from podman's storage and only the Api is
# published again (about 3 minutes: the NativeAOT compile, with gcc and zlib1g-dev, takes most of it).
# Prints the NativeAOT image's reference, then the JIT image's as the last line, on stdout.
# Usage: bash tests/setup/podman.sh [--force-image]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK="$ROOT/.work/podman"
REGISTRY=127.0.0.1:5000
BASE_IMAGE=localhost:5000/base:latest
FORCE_IMAGE=${1:-}
mkdir -p "$WORK"
log() { echo "[podman.sh $(date -u +%H:%M:%S)] $*" >&2; }

# --- 1. Packages -------------------------------------------------------------------------------------
missing=()
for pair in podman:podman runc:runc debootstrap:debootstrap docker-registry:docker-registry nginx:nginx curl:curl gcc:gcc; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${pair%%:*}" ] || missing+=("${pair##*:}")
done
dpkg -s zlib1g-dev >/dev/null 2>&1 || missing+=(zlib1g-dev)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq podman runc debootstrap docker-registry nginx curl gcc zlib1g-dev >&2
fi
PATH="$PATH:/usr/sbin:/sbin"

# --- 2. containers.conf --------------------------------------------------------------------------------
# crun fails on this machine's hybrid cgroups and podman's default ulimits exceed what it may set.
cat > "$WORK/containers.conf" <<'EOF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]

[engine]
runtime = "runc"
EOF
export CONTAINERS_CONF="$WORK/containers.conf"

# --- 3. Base image in a local registry ---------------------------------------------------------------
REGISTRY_PID=""
start_registry() {
  if curl -fsS "http://$REGISTRY/v2/" >/dev/null 2>&1; then return; fi
  mkdir -p "$WORK/registry-data"
  cat > "$WORK/registry.yml" <<EOF
version: 0.1
log: { level: warn }
storage: { filesystem: { rootdirectory: $WORK/registry-data }, delete: { enabled: true } }
http: { addr: $REGISTRY }
EOF
  log "starting the local registry on $REGISTRY"
  docker-registry serve "$WORK/registry.yml" >"$WORK/registry.log" 2>&1 &
  REGISTRY_PID=$!
  for _ in $(seq 50); do
    curl -fsS "http://$REGISTRY/v2/" >/dev/null 2>&1 && return
    sleep 0.2
  done
  log "the registry did not start:"; cat "$WORK/registry.log" >&2; exit 1
}
stop_registry() { if [ -n "$REGISTRY_PID" ]; then kill "$REGISTRY_PID" 2>/dev/null || true; wait "$REGISTRY_PID" 2>/dev/null || true; fi; }
trap stop_registry EXIT

build_base_rootfs() {
  local tar="$WORK/base-rootfs.tar" dir="$WORK/rootfs"
  [ -s "$tar" ] && return
  local mirror
  # The Debian mirror this machine's apt already uses (deb822 .sources or a classic sources.list).
  mirror=$(awk '/^URIs:/ && $2 ~ /debian\/?$/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $2 ~ /debian\/?$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$mirror" ] || { log "no Debian mirror found in apt's sources"; exit 1; }
  log "debootstrap minbase from $mirror (about 1.5 minutes)"
  rm -rf "$dir"
  debootstrap --variant=minbase --include=libssl3,ca-certificates,libicu72,tzdata bookworm "$dir" "$mirror" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log" >&2; exit 1; }
  # The same non-root user as the official .NET images.
  chroot "$dir" groupadd --gid=1654 app
  chroot "$dir" useradd --no-log-init --uid=1654 --gid=1654 --create-home app
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/usr/share/doc/* \
    "$dir"/usr/share/man/* "$dir"/usr/share/info/* "$dir"/usr/share/locale/* "$dir"/var/log/*.log
  tar --numeric-owner -C "$dir" -cf "$tar.tmp" .
  mv "$tar.tmp" "$tar"
  rm -rf "$dir"
}

ensure_base_image() {
  start_registry
  if curl -fs -o /dev/null -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
      -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "http://$REGISTRY/v2/base/manifests/latest"; then
    return
  fi
  # podman's own storage outlives a fresh clone's .work/: a machine that built the base once pushes it again.
  if ! podman image exists "$BASE_IMAGE"; then
    build_base_rootfs
    log "importing the base image"
    podman import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      "$WORK/base-rootfs.tar" "$BASE_IMAGE" >/dev/null
  fi
  log "pushing the base image to $REGISTRY"
  podman push --quiet --tls-verify=false "$BASE_IMAGE"
}

# --- 4. The real image --------------------------------------------------------------------------------
sources_hash() {
  (cd "$ROOT" && find HttpServer.Api HttpServer.ServiceDefaults -type f \
      -not -path '*/bin/*' -not -path '*/obj/*' -print0 \
    | sort -z | xargs -0 sha256sum; sha256sum Directory.Build.props Directory.Build.targets Directory.Packages.props global.json) \
    | sha256sum | cut -d' ' -f1
}

# publish_image NAME [MSBuild properties...]: publishes the Api as an image unless the one built from the same
# sources is still in podman; sets IMAGE to its reference.
publish_image() {
  local name=$1 stamp="$WORK/$1.stamp"; shift
  IMAGE=$(sed -n 2p "$stamp" 2>/dev/null || true)
  if [ "$FORCE_IMAGE" != "--force-image" ] && [ "$(head -1 "$stamp" 2>/dev/null)" = "$hash" ] \
      && [ -n "$IMAGE" ] && podman image exists "$IMAGE"; then
    log "$IMAGE is up to date"
    return
  fi
  ensure_base_image
  log "publishing HttpServer.Api as a container image ($name)"
  rm -rf "$WORK/image-$name" && mkdir -p "$WORK/image-$name"
  # Own artifacts folder: the developer's bin/ and obj/ stay untouched; no build servers outlive the script.
  dotnet publish "$ROOT/HttpServer.Api/HttpServer.Api.csproj" -c Release -r linux-x64 --self-contained \
    --artifacts-path "$WORK/artifacts-$name" --disable-build-servers -nologo -v:q \
    -t:PublishContainer -p:ContainerBaseImage="$BASE_IMAGE" \
    -p:ContainerArchiveOutputPath="$WORK/image-$name/httpserver-api.tar" "$@" >&2
  # podman names it as it would pull it: docker.io/library/<repository>:<tag>, which is also what a
  # kubelet makes of the Deployment's unqualified image name.
  IMAGE=$(podman load --quiet -i "$WORK/image-$name/httpserver-api.tar" | sed -n 's/^Loaded image[^:]*: *//p' | head -1)
  podman image exists "$IMAGE" || { log "podman has no image after loading the archive"; exit 1; }
  printf '%s\n%s\n' "$hash" "$IMAGE" > "$stamp"
  # Earlier builds lose their name to this one: remove those (only images made from this base).
  podman images --quiet --filter dangling=true --filter "label=org.opencontainers.image.base.name=$BASE_IMAGE" \
    | xargs -r podman rmi >/dev/null 2>&1 || true
}

hash=$(sources_hash)
publish_image app-image
APP_IMAGE=$IMAGE
# The NativeAOT variant (tag 1.0.0-aot, see Directory.Build.targets): ILCompiler links with gcc and zlib.
publish_image aot-image -p:PublishAot=true
AOT_IMAGE=$IMAGE

# --- 5. kubectl, to render the manifests the suite reads -------------------------------------------------
if [ -f "$ROOT/tests/setup/kubernetes.sh" ] && [ ! -x "$ROOT/.work/tools/kubectl/kubectl" ]; then
  bash "$ROOT/tests/setup/kubernetes.sh" >&2
fi

echo "$AOT_IMAGE"
echo "$APP_IMAGE"
