#!/usr/bin/env bash
# Installs what the end-to-end tests and the demo need and the npm registry alone cannot give:
# Debian's Chromium, ripgrep and Kerberos headers, and code-server 4.100.3 (VS Code 1.100) cached
# under .vscode-test/ (git-ignored). Idempotent: a second run only checks and returns.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cs_dir="$root/.vscode-test/code-server"
cs_version=4.100.3
marker="$cs_dir/.installed-$cs_version"

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
[ -e /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
if ((${#need_apt[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "provision: installing ${need_apt[*]} with apt-get"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ -f "$marker" ]; then
  exit 0
fi

echo "provision: installing code-server $cs_version into $cs_dir (about 2 minutes, once)"
rm -rf "$cs_dir" && mkdir -p "$cs_dir"
cd "$cs_dir"
npm init -y >/dev/null
# code-server's own postinstall downloads ripgrep from the internet: install without scripts, then
# build the native modules from source and use Debian's rg.
npm install "code-server@$cs_version" --ignore-scripts --no-audit --no-fund --loglevel=error
npm_config_yes=true npm rebuild argon2 --build-from-source --loglevel=error
cd node_modules/code-server/lib/vscode
npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error
npm_config_yes=true npm rebuild kerberos @parcel/watcher @vscode/deviceid @vscode/spdlog native-watchdog node-pty --loglevel=error
mkdir -p node_modules/@vscode/ripgrep/bin && cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
(cd extensions && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
touch "$marker"
echo "provision: code-server ready"
