#!/usr/bin/env bash
# Payment notifications on a development server with the fake provider (embedded backend through
# the router, as a server runs by default): A premium apps, U buyers, one pending purchase per
# buyer and app; then (1) each purchase's PAID notification delivered once (every one applied: the
# purchase, its proof key and event index in one batch, the raw event stored and judged) from 16
# Python clients, and (2) the same notifications again under wrk (16 connections, 10 s after a
# 20 s warm-up: duplicates, answered 200 without effect), and (3) every purchase's receipt POSTed to
# the verifier under wrk (each answered "ok": chain, purchase read, expiry), next to
# /__lbheartbeat__ in the same run. Receipt signing and verification on one thread, without HTTP:
# tools/bench/receipts.sh.
#
#   tools/bench/payments.sh [apps, default 10] [buyers, default 200]
#
# Notifications are signed here (HS256, the fake's configured secret). Needs wrk and python3.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
apps=${1:-10}
users=${2:-200}
port=${OWA_BENCH_PORT:-18080}
manifest_port=$((port + 7))
secret=bench-secret-$(date +%s)-0123456789abcdef0123456789
. "$repo/tools/bench/lib/dev-server.sh"
cd "$repo"
mvn -B -q install -DskipTests -pl distribution -am

configure_dev_server() {
    local etc=$home/etc hosts
    hosts=127.0.0.1:$port$(for ((i = 0; i < apps; i++)); do printf ',127.1.%d.%d:%d' $((i / 256)) $((i % 256)) "$manifest_port"; done)
    sed -i -e "s/^allow.http.hosts *=.*/allow.http.hosts = $hosts/" -e "s/^allow.private.hosts *=.*/allow.private.hosts = $hosts/" \
        "$etc/org.openwebapps.fetch.cfg"
    sed -i 's/^featuresBoot = /featuresBoot = openwebapps-payments-fake, /' "$etc/org.apache.karaf.features.cfg"
    sed -i -e "s#^site.url *=.*#site.url = $base#" -e "s#^reviewers *=.*#reviewers = reviewer@127.0.0.1:$port#" \
        "$etc/org.openwebapps.marketplace.cfg"
    printf '.secret = %s\nnotify.url = %s/marketplace/api/v1/payments/notify/fake\n' "$secret" "$base" \
        > "$etc/org.openwebapps.payments.fake.cfg"
}
start_dev_server
python3 "$repo/tools/bench/lib/marketplace_setup.py" serve "$manifest_port" &
manifests=$!
trap 'kill $manifests 2>/dev/null; stop_all' EXIT
until curl -fsS "$base/__heartbeat__" 2>/dev/null | grep -Eq '"marketplace":\{[^}]*"status":"ok"'; do sleep 0.5; done
until curl -s -o /dev/null -w '%{http_code}' "$base/payments-fake/sessions/none" | grep -q 404; do sleep 0.5; done

echo "wrk -t2 -c16 -d10s (after 20 s warm-up), $apps premium apps, $users buyers, embedded backend, server and client on $(nproc) cores"
measure "/__lbheartbeat__" "$base/__lbheartbeat__"
PYTHONPATH="$repo/tools/bench/lib" python3 "$repo/tools/bench/lib/payments_setup.py" "$base" "$port" "$manifest_port" \
    "$apps" "$users" "$secret" "$work"
{
    cat "$work/notifications.lua"
    cat <<'LUA'
local i = 0
request = function()
    i = i + 1
    return wrk.format("POST", "/marketplace/api/v1/payments/notify/fake", {["Content-Type"] = "application/jwt"},
        notifications[i % #notifications + 1])
end
local threads = {}
function setup(thread) table.insert(threads, thread) end
unexpected = 0
function response(status, headers, body) if status ~= 200 then unexpected = unexpected + 1 end end
function done() local n = 0; for _, t in ipairs(threads) do n = n + t:get("unexpected") end; io.write("unexpected: " .. n .. "\n") end
LUA
} > "$work/duplicates.lua"
measure "notify, duplicate" -s "$work/duplicates.lua" "$base"
{
    cat "$work/receipts.lua"
    cat <<'LUA'
local i = 0
request = function()
    i = i + 1
    local receipt = receipts[i % #receipts + 1]
    return wrk.format("POST", "/marketplace/verify/" .. receipt[1], {["Content-Type"] = "text/plain"}, receipt[2])
end
local threads = {}
function setup(thread) table.insert(threads, thread) end
unexpected = 0
function response(status, headers, body)
    if status ~= 200 or not body:find('"status":"ok"', 1, true) then unexpected = unexpected + 1 end
end
function done() local n = 0; for _, t in ipairs(threads) do n = n + t:get("unexpected") end; io.write("not okay: " .. n .. "\n") end
LUA
} > "$work/verify.lua"
measure "verify, ok" -s "$work/verify.lua" "$base"
measure "/__lbheartbeat__" "$base/__lbheartbeat__"
