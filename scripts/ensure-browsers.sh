#!/usr/bin/env bash
# Makes sure the browser tests have their three engines: Chromium, Firefox ESR and WebKitGTK (with
# Xvfb and the Python bindings our small WebKit automation browser uses), and what the power-loss
# trials mount under a profile: FUSE 3's fusermount3 and Python's fusepy. Test tools never
# download browsers here: they come from Debian's packages, installed once when missing.
set -euo pipefail

packages=(chromium firefox-esr webkit2gtk-driver xvfb python3-gi gir1.2-webkit2-4.1 gir1.2-gtk-3.0 fuse3 python3-fusepy)
missing=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
[ -x /usr/lib/firefox-esr/firefox-esr ] || missing+=(firefox-esr)
command -v WebKitWebDriver >/dev/null 2>&1 || missing+=(webkit2gtk-driver)
command -v Xvfb >/dev/null 2>&1 || missing+=(xvfb)
/usr/bin/python3 -c 'import gi; gi.require_version("WebKit2", "4.1"); gi.require_version("Gtk", "3.0")' 2>/dev/null \
  || missing+=(python3-gi gir1.2-webkit2-4.1 gir1.2-gtk-3.0)
command -v fusermount3 >/dev/null 2>&1 || missing+=(fuse3)
/usr/bin/python3 -c 'import fusepy' 2>/dev/null || missing+=(python3-fusepy)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ -n "${CHROMIUM_PATH:-}" ] && [ ! -x "$CHROMIUM_PATH" ]; then
  echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable. Point it at a Chromium, or unset it to use /usr/bin/chromium." >&2
  exit 1
fi

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installing the browsers the tests need (once): ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi

cat >&2 <<MSG
The browser tests need these Debian packages, which are missing: ${missing[*]}
  Debian/Ubuntu:  sudo apt-get install -y ${packages[*]}
  elsewhere:      install Chromium (or set CHROMIUM_PATH), Firefox ESR, WebKitGTK's WebKitWebDriver,
                  Xvfb and PyGObject with WebKit2 4.1, FUSE 3 and fusepy, or run the tests on Debian.
MSG
exit 1
