#!/usr/bin/env python3
"""Sample web apps for tools/run-server.sh --try: each on its own loopback origin
(http://127.0.0.N:PORT, N = 2..), with its manifest, an icon and a launch page, until killed.

  sample_apps.py PORT          serve
  sample_apps.py PORT --list   print the manifest URLs, one per line
"""
import http.server
import json
import socketserver
import sys

# name, description, colour, premium
APPS = [
    ("Space Race", "Race your ship through the asteroid belt.", "#2f6fd6", False),
    ("Pocket Notes", "Notes that stay on every device you use.", "#d69a2f", False),
    ("Chess Club", "Play chess against friends or the computer.", "#3a9a5b", False),
    ("Star Cartographer", "Chart the night sky: a premium app (0.99 USD through the fake provider).", "#8a3ad6", True),
]
SEEDED = len(APPS)  # seed.py puts these in the store; the ones below are left to submit by hand
APPS += [
    ("Sketch Pad", "Draw with your fingers: submit it yourself from the store's developer page.", "#d63a6f", False),
    (None, "A broken manifest, to see the validation report: no name, a launch path without /.", "#555555", False),
]


def index(host):
    n = int(host.split(":")[0].split(".")[3]) - 2
    return n if 0 <= n < len(APPS) else None


class SampleApps(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        n = index(self.headers.get("Host", ""))
        if n is None:
            return self.answer(404, "text/plain", b"no such sample app")
        name, description, colour, _ = APPS[n]
        if self.path == "/manifest.webapp":
            manifest = {"name": name, "description": description, "launch_path": "/", "icons": {"128": "/icon.svg"},
                        "developer": {"name": "Open Web Apps samples", "url": "https://github.com/mozilla"},
                        "installs_allowed_from": ["*"]}
            if name is None:
                del manifest["name"]
                manifest["launch_path"] = "index.html"
            body = json.dumps(manifest).encode()
            return self.answer(200, "application/x-web-app-manifest+json", body)
        if self.path == "/icon.svg":
            body = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" '
                    'fill="%s"/><text x="32" y="42" font-size="28" text-anchor="middle" fill="#fff" '
                    'font-family="sans-serif">%s</text></svg>' % (colour, (name or "?")[0])).encode()
            return self.answer(200, "image/svg+xml", body)
        if self.path == "/":
            body = ("<!DOCTYPE html><title>%s</title><h1>%s</h1><p>%s</p>" % (name, name, description)).encode()
            if name is None:
                return self.answer(404, "text/plain", b"not found")
            return self.answer(200, "text/html; charset=utf-8", body)
        return self.answer(404, "text/plain", b"not found")

    def answer(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def manifest_urls(port):
    return ["http://127.0.0.%d:%d/manifest.webapp" % (n + 2, port) for n in range(len(APPS))]


if __name__ == "__main__":
    port = int(sys.argv[1])
    if sys.argv[2:] == ["--list"]:
        print("\n".join(manifest_urls(port)))
    else:
        Server(("0.0.0.0", port), SampleApps).serve_forever()
