#!/bin/sh
# Idempotent: installs what the browser test needs (Debian's Chromium and CJK fonts so Chinese renders)
# only when it is missing; a fast no-op when both are present.
set -eu

missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "install ok installed" || missing="$missing fonts-noto-cjk"
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
echo "install-test-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt/dpkg run instead of failing on its lock.
$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
# shellcheck disable=SC2086
$sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing >/dev/null
