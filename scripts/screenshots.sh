#!/usr/bin/env bash
# Screenshots of the buyer's invoice page and customer portal at phone and desktop widths, to look at as a buyer
# would: demo data on a scratch database, billport serve on a spare port, headless Chromium.
# Usage: scripts/screenshots.sh [OUT_DIR]   (default .build/screenshots)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.build/screenshots}
mkdir -p "$out"
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium
fi
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export BILLPORT_DATA_DIRECTORY="$data" BILLPORT_HTTP_PORT="$port" BILLPORT_LOG_LEVEL=error
demo=$(.build/debug/billport demo --json)
url=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["shareUrl"])' <<<"$demo")
portal=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["portalUrl"])' <<<"$demo")
# "Pay now" shows for a pro tenant with a provider key; a placeholder key renders the button (paying needs a real one).
printf 'sk_test_screenshotsOnly0000\nwhsec_screenshotsOnly0000\n' |
  .build/debug/billport tenant payments demo --plan pro --stripe-key - --webhook-secret - >/dev/null
.build/debug/billport serve & server=$!
trap 'kill -INT $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
shoot() { chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$2" --screenshot="$out/$1.png" "$3" 2>/dev/null; }
shoot invoice-phone 390,1100 "$url"
shoot invoice-desktop 1280,900 "$url"
shoot portal-phone 390,2000 "$portal"
shoot portal-desktop 1280,1500 "$portal"
shoot pay-complete-phone 390,700 "http://127.0.0.1:$port/pay/complete?session_id=cs_test_unknown"
shoot link-not-valid 390,700 "http://127.0.0.1:$port/invoice/not-a-real-token"
ls "$out"
