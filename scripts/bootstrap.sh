#!/usr/bin/env bash
# Installs, from Debian's packages, exactly what rayctl's build, tests, benchmarks and quick start
# need. Idempotent: when everything is present it only asks dpkg and returns (no apt-get update).
# Works as root on a fresh Debian 12 machine; as another user it uses sudo.
set -euo pipefail

PACKAGES=(
  # build
  g++ cmake ninja-build ccache pkg-config git ca-certificates
  # libraries (DESIGN.md §1)
  libcurl4-openssl-dev libarchive-dev libcli11-dev libspdlog-dev libfmt-dev
  libssl-dev nlohmann-json3-dev libasio-dev libmsgpack-cxx-dev libcpp-httplib-dev catch2
  libre2-dev libvalijson-dev libzstd-dev zlib1g-dev libyaml-dev
  # test-time tools and servers
  docker-registry skopeo apache2-utils openssl curl python3 python3-jwt python3-cryptography
  zstd procps iproute2 unzip
  # Sprig's template functions: time zones as Go reads them, and bcrypt
  tzdata libcrypt-dev
  # benchmark peers
  python3-distributed python3-yaml
  # mirror benchmark: GNU time for client CPU; script(1) (bsdutils) gives the progress test a terminal
  time bsdutils
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "error: bootstrap needs root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
echo "bootstrap: installing ${missing[*]}" >&2
# Try with the package lists we have; refresh them only if that fails (fresh machine, stale lists).
if ! "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; then
  "${SUDO[@]}" apt-get update -q >/dev/null
  "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian's docker-registry package may start its own service on :5000; tests start their own.
if command -v systemctl >/dev/null && systemctl is-active --quiet docker-registry 2>/dev/null; then
  "${SUDO[@]}" systemctl disable --now docker-registry >/dev/null 2>&1 || true
fi
