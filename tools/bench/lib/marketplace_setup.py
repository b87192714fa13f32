#!/usr/bin/env python3
"""Fills a development server's Marketplace for tools/bench/marketplace.sh.

serve: answers manifests on every address of the loopback, each app on its own origin
(http://127.A.B.C:PORT, app number = A-1, B, C: the origin is the app's key), until killed.
fill: submits, categorises and approves N apps through the API with tokens from the development
IdP, logs U users in, and writes users.lua (tokens), apps.lua (ids) and words.lua into WORK.

  marketplace_setup.py serve MANIFEST_PORT
  marketplace_setup.py fill BASE PORT MANIFEST_PORT APPS USERS WORK
"""
import concurrent.futures
import http.server
import json
import sys
import urllib.request

WORDS = ["space", "race", "chess", "news", "music", "photo", "maps", "notes", "mail", "chat",
         "puzzle", "cards", "sport", "cook", "travel", "learn", "paint", "write", "count", "track"]
CATEGORIES = ["games", "productivity", "social", "utilities", "education", "entertainment", "news", "lifestyle"]


def host(i):
    return "127.%d.%d.%d" % (1 + i // 65536, (i // 256) % 256, i % 256)


class Manifests(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        octets = [int(o) for o in self.headers["Host"].split(":")[0].split(".")]
        i = (octets[1] - 1) * 65536 + octets[2] * 256 + octets[3]
        body = json.dumps({
            "name": "App %d %s %s" % (i, WORDS[i % len(WORDS)], WORDS[(i // len(WORDS)) % len(WORDS)]),
            "description": "A benchmark app about %s." % WORDS[i % len(WORDS)],
            "launch_path": "/", "icons": {"128": "/icon.png"},
            "developer": {"name": "Bench", "url": "https://bench.example"},
            "installs_allowed_from": ["*"]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-web-app-manifest+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


BASE = None  # the server, set by fill (or by a script importing this module)


def call(method, path, token=None, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(BASE + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"null")


def login(base, port, name):
    email = "%s@127.0.0.1:%d" % (name, port)
    assertion = call("POST", "/dev-idp/assertion", body={"email": email, "audience": base})["assertion"]
    return call("POST", "/marketplace/api/v1/account/login", body={"assertion": assertion, "audience": base})["token"]


def fill(base, port, manifest_port, apps, users, work):
    global BASE
    BASE = base
    developer, reviewer = login(base, port, "developer"), login(base, port, "reviewer")

    def publish(i):
        app = call("POST", "/marketplace/api/v1/apps", developer,
                   {"manifest": "http://%s:%d/manifest.webapp" % (host(i), manifest_port)})
        path = "/marketplace/api/v1/apps/%d" % app["id"]
        call("PATCH", path, developer, {"categories": [CATEGORIES[i % len(CATEGORIES)]]})
        call("POST", path + "/submit", developer)
        call("POST", path + "/review", reviewer, {"action": "approve"})
        return app["id"]

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(publish, range(apps)))
        tokens = list(pool.map(lambda u: login(base, port, "user%d" % u), range(users)))
    with open(work + "/apps.lua", "w") as out:
        out.write("apps = {" + ",".join(str(i) for i in ids) + "}\n")
    with open(work + "/users.lua", "w") as out:
        out.write("users = {\n" + "".join('  "%s",\n' % t for t in tokens) + "}\n")
    with open(work + "/words.lua", "w") as out:
        out.write("words = {" + ",".join('"%s"' % w for w in WORDS) + "}\n")


def serve(manifest_port):
    http.server.ThreadingHTTPServer.request_queue_size = 256  # no SYN drops under the benchmark
    http.server.ThreadingHTTPServer(("0.0.0.0", manifest_port), Manifests).serve_forever()


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
    else:
        fill(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7])
