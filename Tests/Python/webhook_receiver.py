"""A webhook receiver for the end-to-end tests: verifies every delivery with the
`standardwebhooks` library from PyPI and records it.

Usage: webhook_receiver.py --port-file PATH --log PATH --secret whsec_... [--secret ...]
       [--fail-first N] [--stall-first N] [--stall SECONDS] [--status CODE] [--port N]

Listens on 127.0.0.1 (port 0: any free one, written to --port-file once listening). Each
request appends one JSON line to --log: {"id", "timestamp", "type", "verified", "error",
"answered"}. A delivery is verified when any of the given secrets verifies it. The first N
requests get 500 (--fail-first) or no answer for --stall seconds (--stall-first); --status
answers every other request with that code (default 204). The counters live in a file beside
the log, so a restarted receiver carries on where the killed one stopped.
"""
import argparse
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=0)
parser.add_argument("--port-file", required=True)
parser.add_argument("--log", required=True)
parser.add_argument("--secret", action="append", required=True)
parser.add_argument("--fail-first", type=int, default=0)
parser.add_argument("--stall-first", type=int, default=0)
parser.add_argument("--stall", type=float, default=5.0)
parser.add_argument("--status", type=int, default=204)
options = parser.parse_args()

lock = threading.Lock()
counter_file = options.log + ".count"


def next_request_number():
    # Renamed into place, so a receiver killed mid-write leaves the old count, never half a file.
    with lock:
        count = int(open(counter_file).read()) if os.path.exists(counter_file) else 0
        with open(counter_file + ".tmp", "w") as f:
            f.write(str(count + 1))
        os.rename(counter_file + ".tmp", counter_file)
        return count + 1


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        number = next_request_number()
        headers = {name.lower(): value for name, value in self.headers.items()}
        verified, error = False, None
        for secret in options.secret:
            try:
                Webhook(secret).verify(body, headers)
                verified = True
                break
            except WebhookVerificationError as failure:
                error = str(failure)
        event_type = None
        try:
            event_type = json.loads(body).get("type")
        except ValueError:
            pass
        if number <= options.stall_first:
            answered = "stalled"
        elif number <= options.stall_first + options.fail_first:
            answered = 500
        else:
            answered = options.status if verified else 400
        with lock, open(options.log, "a") as log:
            log.write(json.dumps({"id": headers.get("webhook-id"), "timestamp": headers.get("webhook-timestamp"), "type": event_type,
                                  "verified": verified, "error": None if verified else error, "answered": answered,
                                  "contentType": headers.get("content-type")}) + "\n")
        if answered == "stalled":
            time.sleep(options.stall)
            self.close_connection = True
            return
        reply = b'{"received": true}'
        self.send_response(answered)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(reply)) if answered != 204 else "0")
        self.end_headers()
        if answered != 204:
            self.wfile.write(reply)


server = ThreadingHTTPServer(("127.0.0.1", options.port), Handler)
server.daemon_threads = True
with open(options.port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(options.port_file + ".tmp", options.port_file)
server.serve_forever()
