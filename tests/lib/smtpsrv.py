"""smtpsrv.py - the delivery tests' SMTP server on 127.0.0.1.

Stores every accepted message as DIR/NNNNNN.eml (the bytes as received)
with its envelope in DIR/NNNNNN.env, and misbehaves on purpose for some
recipients, chosen by the start of the local part:

  defer-...   451 to RCPT the first time this address is seen, then 250
  reject-...  550 to RCPT
  bounce-...  550 after the data
  drop-...    takes the data, then closes the connection without a reply

Options: --starttls CERT KEY (offer STARTTLS and require it before MAIL),
--auth USER:PASSWORD (require AUTH), --no-ehlo-tls (plain, no STARTTLS).
Writes the port to PORTFILE once listening. Runs until SIGTERM.
"""

import asyncio
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult


class Store:
    def __init__(self, directory):
        self.dir = directory
        self.count = 0
        self.deferred = set()
        self.connections = 0

    async def handle_RCPT(self, server, session, envelope, address, options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("reject-"):
            return "550 5.1.1 no such mailbox here"
        if local.startswith("defer-") and address not in self.deferred:
            self.deferred.add(address)
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        local = envelope.rcpt_tos[0].split("@", 1)[0].lower()
        if local.startswith("bounce-"):
            return "554 5.6.0 message refused after reading it"
        self.count += 1
        base = os.path.join(self.dir, "%06d" % self.count)
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".env", "w") as f:
            f.write("from %s\n" % envelope.mail_from)
            for r in envelope.rcpt_tos:
                f.write("to %s\n" % r)
            f.write("tls %s\n" % ("yes" if session.ssl else "no"))
            f.write("auth %s\n" % (session.authenticated and "yes" or "no"))
        os.rename(base + ".eml.tmp", base + ".eml")
        if local.startswith("drop-"):
            server.transport.close()
            return "250 never heard"
        return "250 2.0.0 stored"


def main():
    args = sys.argv[1:]
    tls = None
    auth = None
    while args and args[0].startswith("--"):
        if args[0] == "--starttls":
            tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            tls.load_cert_chain(args[1], args[2])
            args = args[3:]
        elif args[0] == "--auth":
            auth = args[1].split(":", 1)
            args = args[2:]
        else:
            sys.exit("smtpsrv.py: unknown option " + args[0])
    directory, portfile = args
    store = Store(directory)

    def authenticator(server, session, envelope, mechanism, data):
        ok = (auth is not None and data is not None and
              data.login.decode() == auth[0] and
              data.password.decode() == auth[1])
        return AuthResult(success=ok)

    def factory():
        return SMTP(store, hostname="smtp.test", tls_context=tls,
                    require_starttls=tls is not None,
                    auth_required=auth is not None,
                    auth_require_tls=tls is not None,
                    authenticator=authenticator if auth else None,
                    timeout=30)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(
        loop.create_server(factory, "127.0.0.1", 0))
    port = server.sockets[0].getsockname()[1]
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % port)
    os.rename(portfile + ".tmp", portfile)
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    loop.run_forever()
    server.close()


if __name__ == "__main__":
    main()
