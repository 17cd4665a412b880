#!/usr/bin/env bash
# Screenshots of every public page at phone (390 px) and desktop (1280 px) widths, to look at as a buyer would:
# the invoice page (also one whose line holds a 62-character word), the portal and an invoice opened from it,
# email preferences, unsubscribe, the page after paying and the plain error pages. Demo data on a scratch
# database, billport serve on a spare port (its worker writes the emails into the outbox, where the unsubscribe
# link comes from), headless Chromium.
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
base="http://127.0.0.1:$port"
api() { curl -sf -X "$1" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$base$2" ${3:+--data "$3"}; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
token=$(field '["apiToken"]' <<<"$demo")
# An invoice whose one line holds a word of 62 characters (an IBAN twice over), which must wrap, not push the amounts off.
customer=$(api GET "/api/invoices?limit=1" | field '["data"][0]["customerId"]')
long=$(api POST /api/invoices '{"customerId":'"$customer"',"number":"INV-2026-PROJECT-ALPHA-CUSTOMER-REFERENCE-000000000001","currency":"EUR","issueDate":"2026-11-01","dueDate":"2026-12-01","lines":[{"description":"Transfer reference DE89370400440532013000DE89370400440532013000DE8937040044053201 as agreed","quantity":1,"unitPrice":123456,"taxRate":19}]}' | field '["id"]')
api POST "/api/invoices/$long/issue" >/dev/null
longUrl=$(api POST "/api/invoices/$long/share" | field '["shareUrl"]')
# Sending the invoice puts the customer's preference link (whose token also unsubscribes) into the outbox.
api POST "/api/invoices/$long/send" '{}' >/dev/null
preferences=""
for _ in $(seq 1 200); do
  preferences=$(cat "$data"/outbox/*.eml 2>/dev/null | tr -d '\r' | sed -e ':a' -e '/=$/{N;s/=\n//;ba' -e '}' | grep -o '/preferences/[A-Za-z0-9_-]\{43\}' | head -n1 || true)
  [ -n "$preferences" ] && break; sleep 0.1
done
publicId=$(curl -sf "$base/api/portal/${portal##*/}" | field '["invoices"][0]["publicId"]')
shoot() { chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$2" --screenshot="$out/$1.png" "$3" 2>/dev/null; }
both() { shoot "$1-phone" "390,$2" "$4"; shoot "$1-desktop" "1280,$3" "$4"; }
both invoice 1100 900 "$url"
both invoice-long-word 1100 900 "$longUrl"
both portal 2000 1500 "$portal"
both portal-invoice 1100 900 "$portal/invoices/$publicId"
if [ -n "$preferences" ]; then
  both preferences 900 800 "$base$preferences"
  both unsubscribe 1000 900 "$base/unsubscribe/${preferences#/preferences/}?category=reminder"
else
  echo "screenshots: no preference link in $data/outbox; preference pages skipped" >&2
fi
both pay-complete 700 700 "$base/pay/complete?session_id=cs_test_unknown"
both link-not-valid 700 700 "$base/invoice/not-a-real-token"
both portal-not-valid 700 700 "$base/portal/not-a-real-token"
ls "$out"
