#!/usr/bin/env python3
# websrv.py - the web the scanner tests crawl: every fixture site under
# tests/fixtures/sites on its own 127.0.0.1 port (sites use root-relative
# links, so each needs its own origin), plus special sites that misbehave
# on purpose: redirect loops, redirects to file:// and elsewhere, a 50 MB
# chunked page, a server too slow to answer, robots.txt refusals, a
# Latin-1 page, content that is not HTML, a failing robots.txt.
#
# Usage: websrv.py SITES_DIR PORTS_FILE
# Writes "name port" lines to PORTS_FILE once every server listens (the
# file appears whole, via rename), then serves until killed.

import functools
import os
import socket
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

HOST = "127.0.0.1"
BIG_BYTES = 50 * 1024 * 1024


class Quiet:
    def log_message(self, fmt, *args):
        pass


class StaticHandler(Quiet, SimpleHTTPRequestHandler):
    """A fixture site: its directory is the document root."""


class SpecialHandler(Quiet, SimpleHTTPRequestHandler):
    """A site whose behaviour is named by server.mode."""

    protocol_version = "HTTP/1.1"

    def send(self, status, ctype, body, extra=()):
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def redirect(self, where):
        self.send(302, "text/html", b"moved", [("Location", where)])

    def do_GET(self):
        mode = self.server.mode
        path = self.path.split("?")[0]
        if path == "/robots.txt":
            return self.robots(mode)
        handler = getattr(self, "site_" + mode.replace("-", "_"))
        return handler(path)

    def robots(self, mode):
        if mode == "robots-deny":
            body = b"User-agent: *\nDisallow: /\n"
            return self.send(200, "text/plain", body)
        if mode == "robots-500":
            return self.send(500, "text/plain", b"oops")
        if mode == "slow":
            return self.send(404, "text/plain", b"none")
        return self.send(404, "text/plain", b"none")

    def site_loop(self, path):
        self.redirect("/b" if path != "/b" else "/a")

    def site_to_file(self, path):
        self.redirect("file:///etc/passwd")

    def site_to_private(self, path):
        # The target is another of these servers; a real attack would name
        # 169.254.169.254 or 10.0.0.1, which tests never contact.
        self.redirect("http://%s:%d/" % (HOST, self.server.ports["florist-social"]))

    def site_big(self, path):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        head = (b"<!doctype html><html><head><title>Huge catalogue</title>"
                b"</head><body><p>Orders: <a href=\"mailto:sales@huge-catalogue-"
                b"shop.com\">sales@huge-catalogue-shop.com</a></p>")
        filler = b"<p>" + b"lorem ipsum dolor sit amet " * 2400 + b"</p>\n"
        sent = 0
        try:
            for chunk in [head] + [filler] * (BIG_BYTES // len(filler) + 1):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
                if sent >= BIG_BYTES:
                    break
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def site_slow(self, path):
        time.sleep(30)
        self.send(200, "text/html", b"<p>too late: late@slow-site-example.com</p>")

    def site_robots_deny(self, path):
        self.send(200, "text/html",
                  b"<a href=\"mailto:hidden@robots-deny-shop.com\">mail</a>")

    def site_robots_500(self, path):
        self.site_robots_deny(path)

    def site_latin1(self, path):
        # Declared in the header only; bytes are ISO-8859-1.
        body = ("<html><body><h1>Caf\u00e9 Gr\u00fcnwald</h1><p>Gr\u00fc\u00dfe "
                "aus Wien \u00b7 Schreiben Sie: "
                "<a href=\"mailto:anfragen@cafe-gruenwald.at\">anfragen@cafe-gruenwald.at"
                "</a> \u00b7 Tel. <a href=\"tel:+43 1 4060000\">+43 1 4060000</a>"
                "</p></body></html>").encode("iso-8859-1")
        self.send(200, "text/html; charset=ISO-8859-1", body)

    def site_non_html(self, path):
        if path == "/":
            return self.send(200, "text/html; charset=utf-8",
                             b"<html><body><a href=\"/kontakt\">Kontakt</a>"
                             b"<a href=\"/about\">About us</a></body></html>")
        if path == "/kontakt":
            return self.send(200, "text/plain",
                             b"<a href=\"mailto:plain@non-html-shop.com\">x</a>")
        if path == "/about":
            return self.send(200, "application/octet-stream",
                             b"<a href=\"mailto:binary@non-html-shop.com\">x</a>")
        return self.send(404, "text/plain", b"none")

    def site_pdf_home(self, path):
        self.send(200, "application/pdf", b"%PDF-1.4 mailto:pdf@pdf-home-shop.com")

    do_HEAD = do_GET


SPECIAL = ["loop", "to-file", "to-private", "big", "slow", "robots-deny",
           "robots-500", "latin1", "non-html", "pdf-home"]


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def start(handler, **attrs):
    srv = Server((HOST, 0), handler)
    for k, v in attrs.items():
        setattr(srv, k, v)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def unused_port():
    """A port where nothing listens, for the unreachable site."""
    s = socket.socket()
    s.bind((HOST, 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    sites_dir, ports_file = sys.argv[1], sys.argv[2]
    ports = {}
    for name in sorted(os.listdir(sites_dir)):
        root = os.path.join(sites_dir, name)
        if os.path.isdir(root):
            handler = functools.partial(StaticHandler, directory=root)
            ports[name] = start(handler).server_address[1]
    for mode in SPECIAL:
        ports[mode] = start(SpecialHandler, mode=mode, ports=ports).server_address[1]
    ports["down"] = unused_port()
    tmp = ports_file + ".tmp"
    with open(tmp, "w") as f:
        for name, port in ports.items():
            f.write("%s %d\n" % (name, port))
    os.rename(tmp, ports_file)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
