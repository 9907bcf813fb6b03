#!/usr/bin/env bash
# Installs redis-server for the antpool/bullmq tests when it is missing (Debian, Ubuntu). The tests
# start redis-servers of their own, on free ports with their data in temporary folders; they never
# use a system service. `apt-get update` runs only when installing from the current index fails.
set -euo pipefail
if ! command -v redis-server >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  if ! $sudo apt-get install -y --no-install-recommends redis-server; then
    $sudo apt-get update
    $sudo apt-get install -y --no-install-recommends redis-server
  fi
fi
redis-server --version
