"""Verifies deliveries signed by Billport with the `standardwebhooks` library from PyPI.

Reads one JSON object per line on stdin: {"secret", "id", "timestamp", "body", "signature"}.
Prints "ok" or "refused: <reason>" per line; exits 0 when every line was verified.
"""
import json
import sys

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

failures = 0
for line in sys.stdin:
    if not line.strip():
        continue
    case = json.loads(line)
    headers = {
        "webhook-id": case["id"],
        "webhook-timestamp": str(case["timestamp"]),
        "webhook-signature": case["signature"],
    }
    try:
        Webhook(case["secret"]).verify(case["body"], headers)
        print("ok")
    except WebhookVerificationError as error:
        failures += 1
        print(f"refused: {error}")
sys.exit(1 if failures else 0)
