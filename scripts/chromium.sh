#!/usr/bin/env bash
# Headless Chromium for the browser tests: installs Debian's chromium and a font with Arabic
# glyphs (Noto) when they are missing, then prints the browser's path.
#   scripts/chromium.sh
set -euo pipefail

missing() {
  command -v chromium >/dev/null || return 0
  fc-list :lang=ar family 2>/dev/null | grep -q "Noto Naskh Arabic" || return 0
  return 1
}

if missing; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-noto-core >&2
fi
command -v chromium
