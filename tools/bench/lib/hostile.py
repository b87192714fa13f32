#!/usr/bin/env python3
"""Hostile load against a running server for SECONDS (tools/bench/hostile.sh times the heartbeat
meanwhile, from another process):

  hostile.py BASE_URL SECONDS SLOW_BODIES LOGINS TRICKLERS

- SLOW_BODIES connections each announce a 1,000-byte JSON body and send one byte (reopened when
  the server answers 408 and closes);
- LOGINS clients each keep one POST /browserid/verify open naming a user of one of TRICKLERS
  local IdPs whose /.well-known/browserid sends its headers, then one byte every 100 ms; a client
  sends its next login 1 s after an answer (fire and forget, not a flood).
Prints what the server answered. The server must let the fetcher reach 127.0.0.1 over plain HTTP.
"""
import base64, http.client, http.server, json, socket, socketserver, sys, threading, time, urllib.parse

base, seconds, slow_n, logins_n, tricklers_n = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
stop = threading.Event()


class Trickler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"authentication": "/a", "provisioning": "/p", "public-key": {"algorithm": "RS", "n": "1" * 600, "e": "65537"}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            for b in body:
                if stop.is_set():
                    return
                self.wfile.write(bytes([b]))
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass  # the server hung up: what it should do at its deadline

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jws(header, payload, signature_bytes):
    return b64(json.dumps(header).encode()) + "." + b64(json.dumps(payload).encode()) + "." + b64(b"\0" * signature_bytes)


def assertion(domain, user):
    """Well-formed, wrongly signed: the verifier asks the IdP for its keys before checking signatures."""
    now = int(time.time() * 1000)
    cert = jws({"alg": "RS256"}, {"iss": domain, "exp": now + 3600000, "iat": now - 1000,
                                  "public-key": {"algorithm": "RS", "n": "1" * 600, "e": "65537"},
                                  "principal": {"email": f"{user}@{domain}"}}, 256)
    return cert + "~" + jws({"alg": "RS256"}, {"exp": now + 120000, "aud": base}, 256)


trickler_domains = []
for _ in range(tricklers_n):
    server = Server(("127.0.0.1", 0), Trickler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    trickler_domains.append(f"127.0.0.1:{server.server_address[1]}")

outcomes = {}
lock = threading.Lock()


def count(key):
    with lock:
        outcomes[key] = outcomes.get(key, 0) + 1


def hostile_login(i):
    n = 0
    while not stop.is_set():
        n += 1
        body = urllib.parse.urlencode({"assertion": assertion(trickler_domains[i % len(trickler_domains)], f"u{i}x{n}"), "audience": base})
        try:
            c = http.client.HTTPConnection(host, port, timeout=30)
            c.request("POST", "/browserid/verify", body, {"Content-Type": "application/x-www-form-urlencoded"})
            count(f"login {c.getresponse().status}")
            c.close()
            stop.wait(1)
        except OSError as e:
            count("login error " + type(e).__name__)


def slow_body():
    while not stop.is_set():
        try:
            s = socket.create_connection((host, port), timeout=30)
            s.sendall(b"POST /browserid/v2 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
            answer = s.recv(64)
            count("slow body " + (answer[9:12].decode() if answer.startswith(b"HTTP/1.1") else "closed"))
            s.close()
        except OSError as e:
            count("slow body error " + type(e).__name__)


threads = [threading.Thread(target=slow_body, daemon=True) for _ in range(slow_n)]
threads += [threading.Thread(target=hostile_login, args=(i,), daemon=True) for i in range(logins_n)]
for t in threads:
    t.start()
stop.wait(seconds)
stop.set()
print(f"hostile answers: {dict(sorted(outcomes.items()))}")
