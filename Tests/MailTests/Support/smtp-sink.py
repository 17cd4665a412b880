#!/usr/bin/python3
"""A real SMTP server (aiosmtpd, Debian python3-aiosmtpd) for Billport's mail tests and bench.

Listens on 127.0.0.1 on an ephemeral port and prints `PORT <n>` once it accepts connections,
then `SESSION <n>` for every connection and `CLOSED <n>` when it ends. Each accepted message is stored as `<n>.eml` (the
bytes as received, after dot-unstuffing) with `<n>.json` beside it (envelope, session number,
AUTH login), both renamed into place so that a reader never sees half a file.

Scripted replies, by the recipient's local part, so that tests can check classification:
  tempfail-N@...   451 at RCPT the first N times for that address, then accepted
  reject@...       550 at RCPT
  reject-data@...  554 after DATA
  slow@...         answers RCPT after 5 s (timeouts)

Options: --dir DIR (store messages) or --discard (count only), --auth USER:PASS (require
AUTH), --tls-cert/--tls-key (offer STARTTLS, or with --implicit-tls speak TLS from the start),
--idle-timeout SECONDS (close idle connections with 421, default 300), --close-reused
(answer 421 to MAIL on a connection that already carried a message, then close it: a
server that timed the connection out just as the client reused it).
"""
import argparse
import asyncio
import json
import os
import re
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, directory, close_reused=False):
        self.directory = directory
        self.close_reused = close_reused
        self.sessions = 0
        self.messages = 0
        self.tempfails = {}

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.close_reused and getattr(session, "messages", 0) >= 1:
            asyncio.get_running_loop().call_later(0.05, server.transport.close)
            return "421 4.4.2 sink.billport.test Error: timeout exceeded, closing"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        if local == "reject":
            return f"550 5.1.1 <{address}>: Recipient address rejected: no such user"
        match = re.fullmatch(r"tempfail-(\d+)", local)
        if match:
            seen = self.tempfails.get(address.lower(), 0)
            if seen < int(match.group(1)):
                self.tempfails[address.lower()] = seen + 1
                return f"451 4.3.0 <{address}>: Temporary lookup failure, try again later ({seen + 1})"
        if local == "slow":
            await asyncio.sleep(5)
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        if any(r.split("@")[0].lower() == "reject-data" for r in envelope.rcpt_tos):
            return "554 5.6.0 Message content rejected"
        self.messages += 1
        session.messages = getattr(session, "messages", 0) + 1
        number = self.messages
        if self.directory:
            meta = {
                "mail_from": envelope.mail_from,
                "rcpt_tos": envelope.rcpt_tos,
                "session": getattr(session, "number", 0),
                "login": session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None,
                "helo": session.host_name,
                "tls": server.transport.get_extra_info("ssl_object") is not None,
            }
            # The envelope first: a reader that sees the .eml finds its .json.
            self.store(f"{number:06d}.json", json.dumps(meta).encode())
            self.store(f"{number:06d}.eml", envelope.original_content)
        return f"250 2.0.0 Ok: queued as BP{number:06d}"

    def store(self, name, data):
        temporary = os.path.join(self.directory, "." + name + ".part")
        with open(temporary, "wb") as file:
            file.write(data)
        os.rename(temporary, os.path.join(self.directory, name))


class Authenticator:
    def __init__(self, user, password):
        self.user = user.encode()
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == self.user and auth_data.password == self.password
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir")
    parser.add_argument("--discard", action="store_true")
    parser.add_argument("--auth")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--idle-timeout", type=float, default=300)
    parser.add_argument("--close-reused", action="store_true")
    options = parser.parse_args()
    if not options.discard and not options.dir:
        parser.error("give --dir DIR or --discard")
    sink = Sink(None if options.discard else options.dir, close_reused=options.close_reused)

    context = None
    if options.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(options.tls_cert, options.tls_key)

    keywords = {"hostname": "sink.billport.test", "ident": "billport-smtp-sink", "timeout": options.idle_timeout}
    if options.auth:
        user, _, password = options.auth.partition(":")
        keywords.update(authenticator=Authenticator(user, password), auth_required=True, auth_require_tls=False)
    if context and not options.implicit_tls:
        keywords["tls_context"] = context

    class CountingSMTP(SMTP):
        def connection_made(self, transport):
            super().connection_made(transport)
            if getattr(self, "counted", False):
                return  # STARTTLS calls it again for the same connection
            self.counted = True
            sink.sessions += 1
            self.session.number = sink.sessions
            print(f"SESSION {sink.sessions}", flush=True)

        def connection_lost(self, error):
            super().connection_lost(error)
            print(f"CLOSED {getattr(self.session, 'number', 0)}", flush=True)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(
        lambda: CountingSMTP(sink, **keywords), host="127.0.0.1", port=0,
        ssl=context if options.implicit_tls else None))
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    parent = os.getppid()

    def watch_parent():
        """Exits when the process that started the sink goes away, so no test leaves it behind."""
        if os.getppid() != parent:
            os._exit(0)
        loop.call_later(0.5, watch_parent)

    loop.call_later(0.5, watch_parent)
    try:
        loop.run_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
