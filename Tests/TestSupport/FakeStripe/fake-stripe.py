#!/usr/bin/env python3
"""A fake Stripe API for Billport's tests (Python 3 standard library only).

It speaks the subset of Stripe's wire format Billport uses, as Stripe documents it:

  POST /v1/checkout/sessions        form-encoded, nested keys (line_items[0][price_data][currency])
  GET  /v1/checkout/sessions/{id}
  POST /v1/checkout/sessions/{id}/expire   only an `open` session; it becomes `expired` (url null)

with Bearer (or Basic) authentication, Stripe's error envelope
({"error": {"type", "code", "message", "param"}}), unknown/missing parameter errors, the
per-currency minimum charge, and Idempotency-Key semantics (same key + same parameters replays
the saved response with `Idempotent-Replayed: true`; same key + other parameters is a 400
`idempotency_error`; failed validation is not saved, as Stripe documents). Parameter checks
and the objects it returns live in fake_stripe_checkout.py beside it.

A control API (no authentication) lets tests look inside and drive it:

  GET  /_test/requests              every API request received: method, path, headers, raw
                                    body, decoded form pairs, client port (keep-alive checks)
  POST /_test/reset                 forgets requests, sessions and idempotency keys
  POST /_test/fail_next             JSON {"status": 500, "count": 1, "should_retry": null}:
                                    the next API requests answer that status (api_error)
  POST /_test/complete/{id}         marks the session complete and paid; builds the
                                    `checkout.session.completed` event (again for a completed
                                    one; 400 for an expired one, which a buyer cannot pay)
  POST /_test/refund/{id}           JSON {"amount": 500}: builds `charge.refunded` for the
                                    session's charge
  POST /_test/async/{id}            JSON {"succeeded": true}: ends a delayed payment (completed
                                    with {"async": true}) with `checkout.session.async_payment_…`

The two event routes answer {"event": …, "payload": "<exact body>", "signature": "t=…,v1=…"},
signed with --webhook-secret, and POST the payload with a `Stripe-Signature` header to
--webhook-url (or "webhook_url" in the JSON body) when one is given, reporting its status.

Usage: fake-stripe.py --api-key sk_test_… [--webhook-secret whsec_…] [--webhook-url URL]
Prints "PORT <n>" on stdout once it listens on 127.0.0.1:<n>. Exits when its parent does.
"""

import argparse
import hashlib
import hmac
import json
import os
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.dont_write_bytecode = True  # no __pycache__ beside the tests
from fake_stripe_checkout import StripeError, create_session, event, parse_nested, public, random_id  # noqa: E402


class State:
    def __init__(self, api_key, webhook_secret, webhook_url):
        self.lock = threading.Lock()
        self.api_key = api_key
        self.webhook_secret = webhook_secret
        self.webhook_url = webhook_url
        self.reset()

    def reset(self):
        self.requests = []
        self.sessions = {}
        self.idempotency = {}  # (api key, idempotency key) -> (params, status, body)
        self.failures = []     # [(status, should_retry)] for the next API requests


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so clients can reuse their connection

    def version_string(self):
        return "fake-stripe"

    def log_message(self, format, *args):  # quiet: tests read stdout for the port only
        pass

    @property
    def state(self):
        return self.server.state

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send_json(self, status, body, headers=None):
        data = json.dumps(body, indent=2).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Request-Id", random_id("req_", 14))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def dispatch(self, method):
        raw = self.read_body()
        path = urllib.parse.urlsplit(self.path).path
        try:
            if path.startswith("/_test/"):
                self.control(method, path, raw)
            else:
                self.api(method, path, raw)
        except StripeError as error:
            headers = {"Stripe-Should-Retry": "false"} if error.status < 500 else {}
            self.send_json(error.status, error.body(), headers)

    # MARK: the API

    def api(self, method, path, raw):
        pairs = urllib.parse.parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True)
        with self.state.lock:
            self.state.requests.append({
                "method": method, "path": self.path, "client_port": self.client_address[1],
                "headers": [[name, value] for name, value in self.headers.items()],
                "body": raw.decode("utf-8", "replace"), "form": [[k, v] for k, v in pairs],
            })
        key = self.authenticate()
        with self.state.lock:
            failure = self.state.failures.pop(0) if self.state.failures else None
        if failure:
            status, should_retry = failure
            headers = {} if should_retry is None else {"Stripe-Should-Retry": "true" if should_retry else "false"}
            kind = "api_error" if status >= 500 else "invalid_request_error"
            code = "rate_limit" if status == 429 else None
            self.send_json(status, StripeError(status, "Injected failure (HTTP %d)." % status, kind, code).body(), headers)
            return
        if method == "POST" and path == "/v1/checkout/sessions":
            self.create(key, raw, pairs)
        elif method == "POST" and re.fullmatch(r"/v1/checkout/sessions/[^/]+/expire", path):
            session_id = urllib.parse.unquote(path.split("/")[4])
            with self.state.lock:
                session = self.state.sessions.get(session_id)
                if session is None:
                    raise StripeError(404, "No such checkout.session: '%s'" % session_id, code="resource_missing",
                                      param="session")
                if session["status"] != "open":
                    raise StripeError(400, "Only Checkout Sessions with a status in [\"open\"] can be expired.",
                                      code="checkout_session_not_open")
                session.update({"status": "expired", "url": None})
                body = public(session)
            self.send_json(200, body)
        elif method == "GET" and re.fullmatch(r"/v1/checkout/sessions/[^/]+", path):
            session_id = urllib.parse.unquote(path.rsplit("/", 1)[1])
            with self.state.lock:
                session = self.state.sessions.get(session_id)
            if session is None:
                raise StripeError(404, "No such checkout.session: '%s'" % session_id, code="resource_missing",
                                  param="session")
            self.send_json(200, public(session))
        else:
            raise StripeError(404, "Unrecognized request URL (%s: %s)." % (method, path))

    def authenticate(self):
        header = self.headers.get("Authorization", "")
        key = None
        if header.startswith("Bearer "):
            key = header[len("Bearer "):]
        elif header.startswith("Basic "):
            import base64
            key = base64.b64decode(header[len("Basic "):]).decode("utf-8", "replace").split(":", 1)[0]
        if not key:
            raise StripeError(401, "You did not provide an API key. You need to provide your API key in the "
                              "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').")
        if key != self.state.api_key:
            # Stripe masks all but the last four characters; the fake echoes the key whole so
            # that tests prove the client scrubs it from every error text.
            raise StripeError(401, "Invalid API Key provided: %s" % key, code="api_key_invalid")
        return key

    def create(self, api_key, raw, pairs):
        content_type = self.headers.get("Content-Type", "")
        if not content_type.startswith("application/x-www-form-urlencoded"):
            raise StripeError(400, "Invalid request: the body must be application/x-www-form-urlencoded")
        idempotency_key = self.headers.get("Idempotency-Key")
        if idempotency_key is not None and not 0 < len(idempotency_key) <= 255:
            raise StripeError(400, "Idempotency keys can be up to 255 characters long.", param="Idempotency-Key")
        canonical = sorted(pairs)
        if idempotency_key is not None:
            with self.state.lock:
                saved = self.state.idempotency.get((api_key, idempotency_key))
            if saved is not None:
                params, status, body = saved
                if params != canonical:
                    raise StripeError(400, "Keys for idempotent requests can only be used with the same parameters "
                                      "they were first used with. Try using a key other than '%s' if you meant to "
                                      "execute a different request." % idempotency_key, "idempotency_error")
                self.send_json(status, body, {"Idempotent-Replayed": "true", "Original-Request": "req_replayed"})
                return
        session = create_session(parse_nested(pairs))  # a StripeError here is not saved
        body = public(session)
        with self.state.lock:
            self.state.sessions[session["id"]] = session
            if idempotency_key is not None:
                self.state.idempotency[(api_key, idempotency_key)] = (canonical, 200, body)
        self.send_json(200, body, {"Idempotency-Key": idempotency_key} if idempotency_key else None)

    # MARK: the control API

    def control(self, method, path, raw):
        options = json.loads(raw) if raw.strip() else {}
        if method == "GET" and path == "/_test/requests":
            with self.state.lock:
                self.send_json(200, {"requests": list(self.state.requests)})
        elif method == "POST" and path == "/_test/reset":
            with self.state.lock:
                self.state.reset()
            self.send_json(200, {"ok": True})
        elif method == "POST" and path == "/_test/fail_next":
            with self.state.lock:
                for _ in range(int(options.get("count", 1))):
                    self.state.failures.append((int(options.get("status", 500)), options.get("should_retry")))
            self.send_json(200, {"ok": True})
        elif method == "POST" and path.startswith("/_test/complete/"):
            session = self.session_for(path)
            with self.state.lock:
                if session["status"] == "expired":
                    raise StripeError(400, "This Checkout Session is expired and can no longer be paid.")
                if session["payment_intent"] is None:
                    session["payment_intent"] = random_id("pi_3", 23)
                session.update({"status": "complete", "payment_status": "unpaid" if options.get("async") else "paid", "url": None,
                                "customer_details": {"email": session["customer_email"] or "payer@example.com",
                                                     "name": "Jenny Rosen", "phone": None, "tax_exempt": "none"}})
                obj = public(session)
            self.deliver(event("checkout.session.completed", obj), options)
        elif method == "POST" and path.startswith("/_test/async/"):
            session = self.session_for(path)
            succeeded = bool(options.get("succeeded", True))
            with self.state.lock:
                if session["payment_intent"] is None:
                    raise StripeError(400, "The session has not been completed")
                session["payment_status"] = "paid" if succeeded else "unpaid"
                obj = public(session)
            kind = "succeeded" if succeeded else "failed"
            self.deliver(event("checkout.session.async_payment_" + kind, obj), options)
        elif method == "POST" and path.startswith("/_test/refund/"):
            session = self.session_for(path)
            with self.state.lock:
                if session["payment_intent"] is None:
                    raise StripeError(400, "The session has not been paid")
                refunded = session.setdefault("_refunds", [])
                amount = int(options.get("amount", session["amount_total"] - sum(r["amount"] for r in refunded)))
                refunded.append({"id": random_id("re_3", 23), "object": "refund", "amount": amount,
                                 "charge": session.setdefault("_charge", random_id("ch_3", 23)),
                                 "created": int(time.time()), "currency": session["currency"], "metadata": {},
                                 "payment_intent": session["payment_intent"], "reason": "requested_by_customer",
                                 "status": "succeeded"})
                total_refunded = sum(r["amount"] for r in refunded)
                charge = {
                    "id": session["_charge"], "object": "charge", "amount": session["amount_total"],
                    "amount_captured": session["amount_total"], "amount_refunded": total_refunded,
                    "captured": True, "created": session["created"], "currency": session["currency"],
                    "customer": None, "description": None, "livemode": False,
                    "metadata": dict(session["_intent_metadata"]), "paid": True,
                    "payment_intent": session["payment_intent"], "refunded": total_refunded >= session["amount_total"],
                    "refunds": {"object": "list", "data": list(reversed(refunded)), "has_more": False,
                                "total_count": len(refunded), "url": "/v1/charges/%s/refunds" % session["_charge"]},
                    "status": "succeeded",
                }
            self.deliver(event("charge.refunded", charge), options)
        else:
            raise StripeError(404, "Unknown control route %s %s" % (method, path))

    def session_for(self, path):
        session_id = path.rsplit("/", 1)[1]
        with self.state.lock:
            session = self.state.sessions.get(session_id)
        if session is None:
            raise StripeError(404, "No such checkout.session: '%s'" % session_id, code="resource_missing")
        return session

    def deliver(self, evt, options):
        """Signs the event as Stripe does and, given a URL, POSTs it there."""
        payload = json.dumps(evt, indent=2).encode()
        secret = options.get("secret", self.state.webhook_secret)
        timestamp = int(options.get("timestamp", time.time()))
        signed = str(timestamp).encode() + b"." + payload
        signature = "t=%d,v1=%s" % (timestamp, hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest())
        result = {"event": evt, "payload": payload.decode(), "signature": signature}
        url = options.get("webhook_url", self.state.webhook_url)
        if url:
            request = urllib.request.Request(url, data=payload, method="POST", headers={
                "Content-Type": "application/json; charset=utf-8", "Stripe-Signature": signature,
                "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)"})
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    result["delivery"] = {"status": response.status, "body": response.read().decode("utf-8", "replace")}
            except urllib.error.HTTPError as error:
                result["delivery"] = {"status": error.code, "body": error.read().decode("utf-8", "replace")}
            except OSError as error:
                result["delivery"] = {"status": None, "error": str(error)}
        self.send_json(200, result)


def watch_parent():
    """Exits when the process that started the fake goes away, so no test leaves it behind."""
    parent = os.getppid()
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--webhook-secret", default="whsec_test_fake")
    parser.add_argument("--webhook-url")
    arguments = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.state = State(arguments.api_key, arguments.webhook_secret, arguments.webhook_url)
    threading.Thread(target=watch_parent, daemon=True).start()
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
