#!/usr/bin/env bash
# Set-up: a virtual environment in .venv with eventwire and everything it needs
# (spaCy's English pipeline comes from PyPI as a dependency), plus Debian's Chromium
# for the web app's browser test. Nothing is downloaded at run time afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e '.[dev]'
if [ -x /usr/bin/chromium ] || { command -v apt-get >/dev/null && { [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null; }; }; then
  bash scripts/install_browser.sh >/dev/null
else
  echo "note: no apt-get/root here; install Chromium yourself to run the browser test (it is skipped otherwise)" >&2
fi
.venv/bin/eventwire info >/dev/null && echo "eventwire is ready: .venv/bin/eventwire demo"
