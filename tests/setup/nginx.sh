#!/usr/bin/env bash
# Installs Debian's nginx, the reverse proxy that tests/HttpServer.Api.Tests starts on loopback (its own config,
# pid and temp files under a temp folder, as a child process: the package's own service is not used).
# Idempotent: does nothing when /usr/sbin/nginx is there.
set -euo pipefail

if [ -x /usr/sbin/nginx ]; then
  echo "nginx: present ($(/usr/sbin/nginx -v 2>&1))"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
# A fresh machine's apt has no package lists yet.
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq nginx
echo "nginx: installed ($(/usr/sbin/nginx -v 2>&1))"
