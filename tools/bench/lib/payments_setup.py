#!/usr/bin/env python3
"""Purchases for tools/bench/payments.sh, on a development server with the fake payment provider.

Publishes A premium apps (manifests from marketplace_setup.py serve), logs U users in, makes one
pending purchase per user and app (U x A prepares), signs a PAID notification for each (HS256 with
the fake's secret, made here), then delivers each once from 16 threads and prints what the notify
endpoint took (every one applied: a completed purchase with its signed receipt); writes
notifications.lua (the same tokens, for wrk: duplicates) and receipts.lua (each purchase's app and
receipt, for wrk: the verifier).

  payments_setup.py BASE PORT MANIFEST_PORT APPS USERS SECRET WORK
"""
import base64
import concurrent.futures
import hashlib
import hmac
import json
import sys
import time
import urllib.request

import marketplace_setup as marketplace


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def paid(secret, audience, order, transaction):
    now = int(time.time())
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64(json.dumps({"iss": "payments-fake", "aud": audience, "iat": now, "exp": now + 3600,
                              "typ": "payments-fake/notification/v1",
                              "event": {"kind": "PAID", "transaction_id": transaction, "order_id": order,
                                        "amount": "0.99", "currency": "USD"}}).encode())
    signature = hmac.new(secret.encode(), (header + "." + payload).encode(), hashlib.sha256).digest()
    return header + "." + payload + "." + b64(signature)


def deliver(base, notification):
    request = urllib.request.Request(base + "/marketplace/api/v1/payments/notify/fake", data=notification.encode(),
                                     method="POST", headers={"Content-Type": "application/jwt"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
        status = response.status
    return status, time.perf_counter() - started


def main(base, port, manifest_port, apps, users, secret, work):
    marketplace.BASE = base
    call, login = marketplace.call, marketplace.login
    developer, reviewer = login(base, port, "developer"), login(base, port, "reviewer")

    def publish(i):
        app = call("POST", "/marketplace/api/v1/apps", developer,
                   {"manifest": "http://%s:%d/manifest.webapp" % (marketplace.host(i), manifest_port)})
        path = "/marketplace/api/v1/apps/%d" % app["id"]
        call("PATCH", path, developer, {"categories": ["games"], "premium_type": "premium", "price_tier": 1})
        call("POST", path + "/submit", developer)
        call("POST", path + "/review", reviewer, {"action": "approve"})
        return app["id"]

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(publish, range(apps)))
        tokens = list(pool.map(lambda u: login(base, port, "buyer%d" % u), range(users)))
        started = time.time()
        uuids = list(pool.map(lambda pair: call("POST", "/marketplace/api/v1/payments/prepare", pair[0],
                                                {"app": pair[1]})["purchase"]["uuid"],
                              [(token, app) for token in tokens for app in ids]))
    print("%d purchases prepared (8 clients) in %.1f s" % (len(uuids), time.time() - started))
    audience = base + "/marketplace/api/v1/payments/notify/fake"
    notifications = [paid(secret, audience, uuid, "bench-%d" % i) for i, uuid in enumerate(uuids)]

    started = time.time()
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        results = list(pool.map(lambda n: deliver(base, n), notifications))
    elapsed = time.time() - started
    if any(status != 200 for status, _ in results):
        sys.exit("a first delivery was not applied: %s" % sorted({s for s, _ in results}))
    latencies = sorted(latency * 1000 for _, latency in results)
    print("%-24s %10.1f req/s  p50 %6.2fms  p99 %6.2fms  (%d, each once, 16 Python clients)" % (
        "notify, applied", len(results) / elapsed, latencies[len(latencies) // 2],
        latencies[int(len(latencies) * 0.99)], len(results)))
    with open(work + "/notifications.lua", "w") as out:
        out.write("notifications = {\n" + "".join('  "%s",\n' % n for n in notifications) + "}\n")

    # each completed purchase's receipt, for the verifier under wrk
    pairs = [(token, app) for token in tokens for app in ids]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        receipts = list(pool.map(lambda i: (pairs[i][1], call("GET", "/marketplace/api/v1/payments/" + uuids[i],
                                                              pairs[i][0])["receipt"]), range(len(uuids))))
    if any(receipt is None for _, receipt in receipts):
        sys.exit("a completed purchase has no receipt")
    with open(work + "/receipts.lua", "w") as out:
        out.write("receipts = {\n" + "".join('  {%d, "%s"},\n' % pair for pair in receipts) + "}\n")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7])
