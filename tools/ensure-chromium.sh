#!/usr/bin/env bash
# Browser tests drive Debian's chromium (never a browser downloaded by Playwright).
set -euo pipefail
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [[ -x $CHROMIUM ]]; then
  exit 0
fi
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "chromium is missing: install Debian's package (sudo apt-get install chromium) or set CHROMIUM=/path/to/chromium" >&2
exit 1
