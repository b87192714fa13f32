#!/usr/bin/env python3
"""Sauropod PUTs from one keep-alive connection, for the router benchmark.

  writer.py fill BASE USERS_FILE KEYS      each user writes KEYS keys once; prints writes/s
  writer.py outage BASE USERS_FILE STOPFILE writes until STOPFILE exists; prints the longest
                                            gap between two acknowledged writes (ms) and the
                                            503s and errors seen

USERS_FILE: lines "token path-prefix", path-prefix ending in /keys/ (as tools/bench/router.sh writes).
"""
import http.client
import os
import sys
import time
import urllib.parse


def users(path):
    with open(path) as f:
        return [line.split() for line in f if line.strip()]


def put(conn, token, path, value):
    body = "value=" + urllib.parse.quote(value)
    conn.request("PUT", path, body, {"Signature": token, "Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    return response.status


def main():
    mode, base = sys.argv[1], urllib.parse.urlparse(sys.argv[2])
    conn = http.client.HTTPConnection(base.hostname, base.port, timeout=60)
    everyone = users(sys.argv[3])
    if mode == "fill":
        keys = int(sys.argv[4])
        start, done = time.monotonic(), 0
        for token, prefix in everyone:
            for k in range(keys):
                status = put(conn, token, prefix + "k" + str(k), "v" + str(k))
                if status != 204:
                    sys.exit("PUT answered %d" % status)
                done += 1
        print("%d writes in %.1f s: %.0f writes/s" % (done, time.monotonic() - start, done / (time.monotonic() - start)))
    else:
        stop, last_ok, gap, n, unavailable, errors = sys.argv[4], time.monotonic(), 0.0, 0, 0, 0
        while not os.path.exists(stop):
            token, prefix = everyone[n % len(everyone)]
            n += 1
            try:
                status = put(conn, token, prefix + "outage", str(n))
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(base.hostname, base.port, timeout=60)
                errors += 1
                continue
            now = time.monotonic()
            if status == 204:
                gap, last_ok = max(gap, now - last_ok), now
            elif status == 503:
                unavailable += 1
            else:
                errors += 1
        print("longest gap between acknowledged writes: %.0f ms; %d answered 503, %d other errors, %d writes"
              % (gap * 1000, unavailable, errors, n))


if __name__ == "__main__":
    main()
