#!/bin/sh
# Idempotent: the Flink environment for the scale-out runner (docs/scale-out.md) and Java to run it.
# - Java 17 (a JRE) from Debian when no Java 11+ is on the PATH;
# - .venv-flink: fanzha with the `flink` extra (PyFlink 2.3 and its Flink runtime jars), from the same
#   uv.lock as .venv. apache-flink caps numpy below 2.2, so it cannot share .venv (see ARCHITECTURE.md).
# A fast no-op when both are in place.
set -eu
cd "$(dirname "$0")/.."

java_major() {
  java -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}'
}
if ! command -v java >/dev/null 2>&1 || [ "$(java_major)" -lt 11 ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  echo "install-flink: installing openjdk-17-jre-headless" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
  $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null
fi

command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet uv
UV_PROJECT_ENVIRONMENT=.venv-flink uv sync --locked --extra flink --no-dev --quiet
