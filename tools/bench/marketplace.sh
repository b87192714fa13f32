#!/usr/bin/env bash
# The Marketplace under wrk (16 connections, 10 s after a 20 s warm-up), next to /__lbheartbeat__
# in the same run, on the embedded backend through the router (as a server runs by default):
# (1) manifest validations/s on one thread (ValidationBench in bundles/marketplace-catalog's tests);
# (2) catalog search returning 20 of N public apps (cycling over 20 words, each in N/20 names), the
#     same query answering 1 app (what the query costs without the page's bytes), a
#     search for one app's number (a few matches), a search with a category and sort=name, and
#     an app page by id; (3) POST /installs, each
#     request another of U users installing another app (201 the first time, then 202: both write
#     the AppSync record); (4) POST apps/validate (a manifest fetched from a loopback host and validated).
#
#   tools/bench/marketplace.sh [apps, default 10000] [users, default 200]
#
# The N apps are submitted, categorised and approved through the API first (8 clients; the time
# it took is printed). Needs wrk and python3. Client and server share the machine's cores.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
apps=${1:-10000}
users=${2:-200}
port=${OWA_BENCH_PORT:-18080}
manifest_port=$((port + 7))
. "$repo/tools/bench/lib/dev-server.sh"
cd "$repo"
mvn -B -q install -DskipTests -pl distribution -am

java=${JAVA_HOME:+$JAVA_HOME/bin/}java
module=bundles/marketplace-catalog
mvn -B -q -pl $module test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt
"$java" -cp "$module/target/test-classes:$module/target/classes:$(cat $module/target/cp.txt)" \
    org.openwebapps.marketplace.catalog.internal.ValidationBench 3

configure_dev_server() {
    local etc=$home/etc
    # every app's loopback host may be fetched over plain HTTP (too long for a sed argument)
    python3 - "$etc/org.openwebapps.fetch.cfg" "$apps" "$manifest_port" "$port" <<'PY'
import re, sys
path, apps, manifest_port, port = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
hosts = ",".join(["127.0.0.1:" + port] + ["127.%d.%d.%d:%s" % (1 + i // 65536, (i // 256) % 256, i % 256, manifest_port)
                                          for i in range(apps + 1)])
text = open(path).read()
for key in ("allow.http.hosts", "allow.private.hosts"):
    text = re.sub(r"(?m)^" + re.escape(key) + r" *=.*$", key + " = " + hosts, text)
open(path, "w").write(text)
PY
    sed -i -e "s#^site.url *=.*#site.url = $base#" -e "s#^reviewers *=.*#reviewers = reviewer@127.0.0.1:$port#" \
        "$etc/org.openwebapps.marketplace.cfg"
    sed -i "s#^audiences *=.*#audiences = $audience#; s#^app.id *=.*#app.id = $audience#" "$etc/org.openwebapps.appsync.cfg"
}
start_dev_server
python3 "$repo/tools/bench/lib/marketplace_setup.py" serve "$manifest_port" &
manifests=$!
trap 'kill $manifests 2>/dev/null; stop_all' EXIT
until curl -fsS "$base/__heartbeat__" 2>/dev/null | grep -Eq '"marketplace":\{[^}]*"status":"ok"'; do sleep 0.5; done
started=$(date +%s)
python3 "$repo/tools/bench/lib/marketplace_setup.py" fill "$base" "$port" "$manifest_port" "$apps" "$users" "$work"
echo "$apps apps submitted, categorised and approved (4 requests each, 8 clients) in $(( $(date +%s) - started )) s"

script() { # kind -> a wrk script
    cat "$work/users.lua" "$work/apps.lua" "$work/words.lua"
    cat <<LUA
local i = 0
request = function()
    i = i + 1
    if "$1" == "search" then
        return wrk.format("GET", "/marketplace/api/v1/apps?limit=20&q=" .. words[i % #words + 1])
    elseif "$1" == "search1" then
        return wrk.format("GET", "/marketplace/api/v1/apps?limit=1&q=" .. words[i % #words + 1])
    elseif "$1" == "rare" then
        return wrk.format("GET", "/marketplace/api/v1/apps?limit=20&q=app%20" .. (i % $apps))
    elseif "$1" == "filtered" then
        return wrk.format("GET", "/marketplace/api/v1/apps?limit=20&sort=name&category=games&q=" .. words[i % #words + 1])
    elseif "$1" == "app" then
        return wrk.format("GET", "/marketplace/api/v1/apps/" .. apps[i % #apps + 1])
    elseif "$1" == "install" then
        return wrk.format("POST", "/marketplace/api/v1/installs", {["Authorization"] = "Bearer " .. users[i % #users + 1],
            ["Content-Type"] = "application/json"}, '{"app":' .. apps[(i * 7919) % #apps + 1] .. '}')
    end
    local n = i % $apps
    local host = string.format("127.%d.%d.%d", 1 + math.floor(n / 65536), math.floor(n / 256) % 256, n % 256)
    return wrk.format("POST", "/marketplace/api/v1/apps/validate", {["Authorization"] = "Bearer " .. users[1],
        ["Content-Type"] = "application/json"}, '{"manifest":"http://' .. host .. ':$manifest_port/manifest.webapp"}')
end
local threads = {}
function setup(thread) table.insert(threads, thread) end
unexpected = 0
local answered = 0
-- every status is checked; bodies one in 50 (reading 20 apps in Lua costs wrk, on the server's cores, more than the server)
function response(status, headers, body)
    answered = answered + 1
    if ("$1" == "install" and status ~= 201 and status ~= 202) or ("$1" ~= "install" and status ~= 200) then
        unexpected = unexpected + 1
    elseif answered % 50 == 0 and ((("$1" == "search" or "$1" == "search1" or "$1" == "filtered" or "$1" == "rare") and not body:find('"total_count"', 1, true))
        or ("$1" == "search" and select(2, body:gsub('"resource_uri"', '')) ~= 20)
        or ("$1" == "validate" and not body:find('"valid":true', 1, true))) then unexpected = unexpected + 1 end
end
function done() local n = 0; for _, t in ipairs(threads) do n = n + t:get("unexpected") end; io.write("unexpected: " .. n .. "\n") end
LUA
}
for kind in search search1 rare filtered app install validate; do script $kind > "$work/$kind.lua"; done

echo "wrk -t2 -c16 -d10s (after 20 s warm-up), $apps public apps, $users users, embedded backend, server and client on $(nproc) cores"
measure "/__lbheartbeat__" "$base/__lbheartbeat__"
measure "search, 20 results" -s "$work/search.lua" "$base"
measure "search, same, limit=1" -s "$work/search1.lua" "$base"
measure "search, rare term" -s "$work/rare.lua" "$base"
measure "search+category+name" -s "$work/filtered.lua" "$base"
measure "GET app" -s "$work/app.lua" "$base"
measure "/__lbheartbeat__" "$base/__lbheartbeat__"
measure "POST install" -s "$work/install.lua" "$base"
measure "POST apps/validate" -s "$work/validate.lua" "$base"
