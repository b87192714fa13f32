#!/usr/bin/env bash
# AppSync under wrk (16 connections, 10 s after a 20 s warm-up), next to /__lbheartbeat__ in the
# same run, each request for another of 200 users (logged in through the development IdP):
# (a) a poll that finds nothing new, (b) a GET returning 20 apps, (c) a POST of 2 apps.
#
#   tools/bench/appsync.sh [embedded|hbase]
#
# Through the storage router (primary embedded or hbase, no mirror), as a server runs by default.
# OWA_BENCH_POLL_CACHE_MILLIS sets AppSync's poll.cache.millis (default 1000; 0 measures polls
# that all read storage).
# hbase uses HBASE_ZK_QUORUM/HBASE_ZK_PORT when set, else starts tools/hbase/start.sh for the run.
# Needs wrk (installed from Debian if missing). Client and server share the machine's cores.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
backend=${1:-embedded}
port=${OWA_BENCH_PORT:-18080}
users=${OWA_BENCH_USERS:-200}
poll_cache_millis=${OWA_BENCH_POLL_CACHE_MILLIS:-1000} # 0: every poll reads storage
. "$repo/tools/bench/lib/dev-server.sh"
cd "$repo"
mvn -B -q install -DskipTests -pl distribution -am
[ "$backend" = hbase ] && with_hbase

configure_dev_server() {
    local etc=$home/etc
    sed -i "s#^audiences *=.*#audiences = $audience#; s#^app.id *=.*#app.id = $audience#" "$etc/org.openwebapps.appsync.cfg"
    sed -i "s#^max.records *=.*#max.records = 100#" "$etc/org.openwebapps.appsync.cfg"
    sed -i "s#^poll.cache.millis *=.*#poll.cache.millis = $poll_cache_millis#" "$etc/org.openwebapps.appsync.cfg"
    if [ "$backend" = hbase ]; then
        sed -i 's/^featuresBoot = /featuresBoot = openwebapps-storage-hbase, /' "$etc/org.apache.karaf.features.cfg"
        sed -i "s#^primary *=.*#primary = hbase#" "$etc/org.openwebapps.storage.router.cfg" # as operators run it
        use_hbase "$etc"
    fi
}
start_dev_server
until curl -fsS "$base/__heartbeat__" 2>/dev/null | grep -Eq '"appsync":\{[^}]*"status":"ok"'; do sleep 0.5; done

apps() { # n prefix -> a JSON list of n app documents
    local out="[" i
    for i in $(seq 1 "$1"); do
        [ "$i" -gt 1 ] && out+=","
        out+="{\"origin\":\"https://$2$i.example\",\"manifest\":{\"name\":\"App $i\",\"launch_path\":\"/\"},\"install_time\":1323880000000,\"last_modified\":1323880000000}"
    done
    printf '%s]' "$out"
}
twenty=$(apps 20 app)
lua_users=$work/users.lua
echo 'users = {' > "$lua_users"
for i in $(seq 1 "$users"); do
    login=$(curl -fsS --data-urlencode "assertion=$(dev_assertion "user$i")" --data-urlencode "audience=$audience" "$base/verify")
    url=$(sed 's/.*"collection_url":"\([^"]*\)".*/\1/' <<<"$login")
    auth=$(sed 's/.*"http_authorization":"\([^"]*\)".*/\1/' <<<"$login")
    path=${url#"$base"}
    received=$(curl -fsS -H "Authorization: $auth" --data "$twenty" "$url" | sed 's/.*"received":\([0-9.]*\).*/\1/')
    echo "  {\"$auth\", \"$path\", \"$received\"}," >> "$lua_users"
done
echo '}' >> "$lua_users"

script() { # kind -> a wrk script cycling through the users
    cat "$lua_users"
    cat <<LUA
local i = 0
local two = '$(apps 2 new)'
request = function()
    i = i % #users + 1
    local user = users[i]
    if "$1" == "post" then
        return wrk.format("POST", user[2], {["Authorization"] = user[1]}, two)
    elseif "$1" == "poll" then
        return wrk.format("GET", user[2] .. "?since=" .. user[3], {["Authorization"] = user[1]})
    end
    return wrk.format("GET", user[2] .. "?since=0", {["Authorization"] = user[1]})
end
local threads = {}
function setup(thread) table.insert(threads, thread) end
unexpected = 0
function response(status, headers, body)
    if status ~= 200 or ("$1" == "poll" and not body:find('"applications":[]', 1, true))
        or ("$1" == "get20" and not body:find('app20.example', 1, true)) then unexpected = unexpected + 1 end
end
function done() local n = 0; for _, t in ipairs(threads) do n = n + t:get("unexpected") end; io.write("unexpected: " .. n .. "\n") end
LUA
}
for kind in poll get20 post; do script $kind > "$work/$kind.lua"; done

echo "wrk -t2 -c16 -d10s (after 20 s warm-up), $users users, $backend backend, poll.cache.millis $poll_cache_millis, server and client on $(nproc) cores"
measure "/__lbheartbeat__" "$base/__lbheartbeat__"
measure "GET poll, nothing new" -s "$work/poll.lua" "$base"
measure "GET 20 apps" -s "$work/get20.lua" "$base"
measure "POST 2 apps" -s "$work/post.lua" "$base"
