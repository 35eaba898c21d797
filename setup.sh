#!/usr/bin/env bash
# Sets up imr-letters on a Debian machine and builds the letters in cases/:
# Debian packages where missing (chromium-headless-shell to print and Chromium for the archive's
# browser tests, poppler-utils and qpdf for the PDF tests, strace for the no-network test, Neovim
# and unzip for the language server's and the VS Code extension's tests),
# a C++ compiler, make and python3 (better-sqlite3, the archive's search, compiles from source
# when no prebuilt binary can be downloaded), the npm packages from package-lock.json, then
# `npm run build`.
# `--no-build` stops after `npm ci` (CI restores the earlier output before it builds);
# `--no-browser` skips Chromium (the search jobs of CI print nothing).
set -euo pipefail
cd "$(dirname "$0")"

build=1
browser=1
for arg in "$@"; do
  case "$arg" in
    "--no-build") build=0 ;;
    "--no-browser") browser=0 ;;
    *) echo "setup: unknown option $arg (expected --no-build, --no-browser)" >&2; exit 2 ;;
  esac
done

need=()
if [ "$browser" = 1 ] && [ -z "${PUPPETEER_EXECUTABLE_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
  need+=(chromium)
fi
if [ "$browser" = 1 ] && [ -z "${PUPPETEER_EXECUTABLE_PATH:-}" ] && [ ! -x /usr/lib/chromium/chromium-headless-shell ]; then
  need+=(chromium-headless-shell)
fi
# better-sqlite3's install compiles SQLite and its addon (node-gyp: python3, make, g++).
{ command -v g++ >/dev/null 2>&1 && command -v make >/dev/null 2>&1; } || need+=(build-essential)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v qpdf >/dev/null 2>&1 || need+=(qpdf)
command -v strace >/dev/null 2>&1 || need+=(strace)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v nvim >/dev/null 2>&1 || need+=(neovim) # the language server's test runs in a real Neovim
command -v unzip >/dev/null 2>&1 || need+=(unzip)   # the VS Code extension test reads the .vsix
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing Debian packages: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

echo "setup: npm ci"
npm ci --no-audit --no-fund
if [ "$build" = 0 ]; then
  exit 0
fi
echo "setup: building the letters in cases/"
npm run build
