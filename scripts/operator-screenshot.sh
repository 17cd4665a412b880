#!/usr/bin/env bash
# The operator's queue page with the content of a busy day (ConsoleDemoPageTests writes it), shot in
# headless Chromium at desktop width into docs/screenshots/operator-queue.png.
# Usage: scripts/operator-screenshot.sh [OUT_PNG]   (needs `swift build --build-tests` first)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/screenshots/operator-queue.png}
mkdir -p "$(dirname "$out")"
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium
fi
html=$(mktemp --suffix=.html)
trap 'rm -f "$html"' EXIT
BILLPORT_CONSOLE_DEMO_HTML="$html" swift test --skip-build --filter ConsoleDemoPageTests >/dev/null
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,1250 --screenshot="$out" "file://$html" 2>/dev/null
echo "$out"
