#!/usr/bin/env bash
# Installs the system packages vlaser-eval builds and runs with (Debian/Ubuntu). Idempotent.
set -euo pipefail
pkgs=(libode-dev libopenblas-dev libpng-dev libjpeg62-turbo-dev libglfw3-dev pkg-config python3-venv)
optional=(ffmpeg xvfb xauth chromium)
# The single-node SLURM cluster the tests start (scripts/slurm-local.sh, docs/cluster.md); no service is started.
# libcurl4-openssl-dev: `make install` links vlaser-eval-reason's HTTP client (libcurl) with the static Swift runtime.
cluster=(slurmctld slurmd slurm-client munge libcurl4-openssl-dev)
missing=()
for p in "${pkgs[@]}" "${optional[@]}" "${cluster[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  # libjpeg62-turbo-dev is Debian's name; Ubuntu calls it libjpeg-turbo8-dev.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
         "${missing[@]/libjpeg62-turbo-dev/libjpeg-turbo8-dev}"
fi
