#!/usr/bin/env python3
"""Puts the first sample apps of sample_apps.py (SEEDED) in the store of a --try server: submitted
by developer@HOST, approved by reviewer@HOST (the --try configuration's reviewer), the premium one
at price tier 1. Apps already there are left as they are; the others are for trying a submission.

  seed.py BASE PORT SAMPLES_PORT
"""
import json
import sys
import urllib.error
import urllib.request

import sample_apps

API = "/marketplace/api/v1"


def call(base, method, path, token=None, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def login(base, port, name):
    email = "%s@127.0.0.1:%d" % (name, port)
    _, minted = call(base, "POST", "/dev-idp/assertion", body={"email": email, "audience": base})
    status, body = call(base, "POST", API + "/account/login", body={"assertion": minted["assertion"], "audience": base})
    if status not in (200, 201):
        sys.exit("cannot log %s in: %s" % (email, body))
    return body["token"]


def main(base, port, samples_port):
    developer, reviewer = login(base, port, "developer"), login(base, port, "reviewer")
    for (name, _, _, premium), manifest in list(zip(sample_apps.APPS, sample_apps.manifest_urls(samples_port)))[:sample_apps.SEEDED]:
        status, app = call(base, "POST", API + "/apps", developer, {"manifest": manifest})
        if status == 409:
            continue  # seeded before
        if status != 201:
            sys.exit("cannot submit %s: %s" % (manifest, app))
        path = "%s/apps/%d" % (API, app["id"])
        details = {"categories": ["games" if "Race" in name or "Chess" in name else "productivity"]}
        if premium:
            details.update({"premium_type": "premium", "price_tier": 1})
        for method, sub, token, body in [("PATCH", "", developer, details), ("POST", "/submit", developer, None),
                                         ("POST", "/review", reviewer, {"action": "approve", "comment": "a sample"})]:
            status, answer = call(base, method, path + sub, token, body)
            if status != 200:
                sys.exit("cannot publish %s (%s %s): %s" % (name, method, path + sub, answer))
        print("sample app %-18s %s/apps/%d" % (name, base + API, app["id"]))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
