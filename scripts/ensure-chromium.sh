#!/usr/bin/env bash
# Makes sure the browser tests have a Chromium. Playwright never downloads one here: we use the
# system's (Debian's package `chromium`), or the one $CHROMIUM_PATH names.
set -euo pipefail

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then exit 0; fi

if [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable. Point it at a Chromium, or unset it to use /usr/bin/chromium." >&2
  exit 1
fi

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Chromium is missing: installing Debian's chromium package (once)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
  [ -x /usr/bin/chromium ] && exit 0
fi

cat >&2 <<MSG
The browser tests need Chromium and it is not installed.
  Debian/Ubuntu:  sudo apt-get install -y chromium
  elsewhere:      install Chromium or Chrome and set CHROMIUM_PATH=/path/to/it
MSG
exit 1
