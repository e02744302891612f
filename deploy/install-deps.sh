#!/usr/bin/env bash
# install-deps.sh: installs the Debian 12 packages needed to build, run and
# test the pipeline, if any is missing.  Idempotent; needs root (or sudo).
set -euo pipefail

packages=(
    build-essential cmake ninja-build pkg-config git
    libzmq3-dev libprotobuf-c-dev protobuf-c-compiler libpq-dev libsodium-dev
    libjansson-dev libinih-dev libcmocka-dev
    postgresql postgresql-client
    clang libclang-rt-14-dev python3 procps util-linux
    python3-zmq python3-protobuf protobuf-compiler curl
    libxlsxwriter-dev libzip-dev libxml2-dev libreoffice-calc-nogui gettext
    chromium
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The report's chart and map libraries come from the npm registry (npm ci at
# build time).  A Node.js from elsewhere (NodeSource) bundles npm and
# conflicts with Debian's npm package, so each is asked for only if absent.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The postgresql package may start a system cluster; the pipeline never uses
# it (it starts its own under the checkout), so leave it as the admin set it.
