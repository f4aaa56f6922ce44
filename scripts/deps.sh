#!/usr/bin/env bash
# Installs the Debian packages sluice needs to build and test, when any is
# missing. Called by the Makefile before every build; a no-op (a few dpkg
# queries) once everything is present. Runs apt-get as root, or through sudo.
#
#   scripts/deps.sh          build + test dependencies
#   scripts/deps.sh --check  exit 1 if something is missing, install nothing
set -euo pipefail

# Build: compiler drivers come with "build tools"; the rest is listed here.
BUILD_PKGS="cmake pkg-config libedit-dev libxxhash-dev libzstd-dev libpcre2-dev tzdata"
# Test-only: unit tests, the oracle engine, pty-driven shell tests.
TEST_PKGS="libcmocka-dev sqlite3 libsqlite3-dev tmux clang-format"

missing=()
for p in $BUILD_PKGS $TEST_PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v cc >/dev/null 2>&1 || missing+=("build-essential")

[ ${#missing[@]} -eq 0 ] && exit 0
if [ "${1:-}" = "--check" ]; then
    echo "missing packages: ${missing[*]}" >&2
    exit 1
fi

echo "sluice: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "sluice: need root or sudo to install: ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
