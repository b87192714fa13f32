# Shared by the HTTP benchmarks (source it): a server from the built distribution in a temporary
# folder, bound to 127.0.0.1:$port with the development IdP booted, and a wrk measurement helper.
#
#   start_dev_server            needs $repo and $port; sets $home, $base, $audience; calls
#                               configure_dev_server (if the script defines it) before starting
#   measure NAME WRK_ARGS...    20 s warm-up, then wrk -t2 -c16 -d10s --latency: one line of results
#   with_hbase                  starts the test HBase unless HBASE_ZK_PORT names one; stop_all stops
#                               it again with the server (set as the EXIT trap by start_dev_server)
#   use_hbase ETC               points the HBase backend's configuration in ETC at it, fresh table
#   sauropod_users N            logs N users in (sessions for the audience), writes one key each;
#                               $work/users.lua for wrk, $work/users.txt for lib/writer.py
#   sauropod_wrk_script METHOD  a wrk script (GET or PUT of that key) cycling through the users

if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ]; then
    export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
fi
command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }

start_dev_server() {
    local version
    version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$repo/pom.xml" | head -n 1)
    work=$(mktemp -d)
    home=$work/server
    trap stop_all EXIT
    mkdir -p "$home"
    tar -xzf "$repo/distribution/target/openwebapps-distribution-$version.tar.gz" -C "$home" --strip-components=1
    # boot the development IdP too (featuresBoot's first line is "featuresBoot = \")
    sed -i 's/^featuresBoot = \\$/featuresBoot = openwebapps-browserid-dev-idp, \\/' "$home/etc/org.apache.karaf.features.cfg"
    grep -q "openwebapps-browserid-dev-idp" "$home/etc/org.apache.karaf.features.cfg"
    sed -i -e "s/^allow.http.hosts *=.*/allow.http.hosts = 127.0.0.1:$port/" \
        -e "s/^allow.private.hosts *=.*/allow.private.hosts = 127.0.0.1:$port/" "$home/etc/org.openwebapps.fetch.cfg"
    base=http://127.0.0.1:$port
    audience=$base
    sed -i "s#^audiences *=.*#audiences = $audience#" "$home/etc/org.openwebapps.sauropod.cfg"
    if declare -F configure_dev_server >/dev/null; then configure_dev_server; fi
    OWA_HTTP_HOST=127.0.0.1 OWA_HTTP_PORT=$port OWA_SSH_PORT=$((port + 1)) "$home/bin/karaf" server >/dev/null 2>&1 &
    until curl -fsS -o /dev/null "$base/.well-known/browserid" 2>/dev/null; do sleep 0.2; done
}

with_hbase() {
    if [ -z "${HBASE_ZK_PORT:-}" ]; then
        eval "$("$repo/tools/hbase/start.sh")"
        stop_hbase=1
    fi
}

use_hbase() {
    sed -i "s#^zookeeper.quorum *=.*#zookeeper.quorum = ${HBASE_ZK_QUORUM:-127.0.0.1}#;
        s#^zookeeper.port *=.*#zookeeper.port = $HBASE_ZK_PORT#; s#^table *=.*#table = bench$(date +%s)#" \
        "$1/org.openwebapps.storage.hbase.cfg"
}

stop_all() {
    stop_dev_server
    if [ -n "${stop_hbase:-}" ]; then "$repo/tools/hbase/stop.sh"; fi
}

stop_dev_server() {
    "$home/bin/stop" >/dev/null 2>&1 || true
    while pgrep -f "karaf.home=$home" >/dev/null; do sleep 0.2; done
    rm -rf "$work"
}

# a backed assertion for user NAME from the development IdP
dev_assertion() {
    curl -fsS -H 'Content-Type: application/json' \
        -d "{\"email\":\"$1@127.0.0.1:$port\",\"audience\":\"$audience\"}" "$base/dev-idp/assertion" |
        sed 's/.*"assertion":"\([^"]*\)".*/\1/'
}

measure() { # name, wrk args...
    local name=$1 result
    shift
    wrk -t2 -c16 -d20s "$@" >/dev/null # warm-up
    result=$(wrk -t2 -c16 -d10s --latency "$@")
    printf '%-24s %10s req/s  p50 %8s  p99 %8s  %s\n' "$name" "$(awk '/Requests\/sec/ {print $2}' <<<"$result")" \
        "$(awk '$1 == "50%" {print $2}' <<<"$result")" "$(awk '$1 == "99%" {print $2}' <<<"$result")" \
        "$(grep -E 'Non-2xx|Socket errors|not okay|unexpected' <<<"$result" | tr '\n' ' ' || true)"
}

quote() { printf %s "$1" | sed 's/%/%25/g; s/:/%3A/g; s#/#%2F#g; s/@/%40/g'; }

sauropod_users() {
    local app i email token prefix
    app=$(quote "$audience")
    echo 'users = {' > "$work/users.lua"
    : > "$work/users.txt"
    for i in $(seq 1 "$1"); do
        email="user$i@127.0.0.1:$port"
        token=$(curl -fsS --data-urlencode "assertion=$(dev_assertion "user$i")" --data-urlencode "audience=$audience" \
            "$base/session/start")
        prefix="/app/$app/users/$(quote "$email")/keys/"
        curl -fsS -o /dev/null -X PUT -H "Signature: $token" --data "value=%7B%22n%22%3A0%7D" "$base${prefix}apps"
        echo "  {\"$token\", \"${prefix}apps\"}," >> "$work/users.lua"
        echo "$token $prefix" >> "$work/users.txt"
    done
    echo '}' >> "$work/users.lua"
}

sauropod_wrk_script() {
    cat "$work/users.lua"
    cat <<LUA
local i = 0
request = function()
    i = i % #users + 1
    local user = users[i]
    if "$1" == "PUT" then
        return wrk.format("PUT", user[2], {["Signature"] = user[1],
            ["Content-Type"] = "application/x-www-form-urlencoded"}, "value=%7B%22n%22%3A" .. i .. "%7D")
    end
    return wrk.format("GET", user[2], {["Signature"] = user[1]})
end
local threads = {}
function setup(thread) table.insert(threads, thread) end
unexpected = 0
function response(status) if status ~= 200 and status ~= 204 then unexpected = unexpected + 1 end end
function done() local n = 0; for _, t in ipairs(threads) do n = n + t:get("unexpected") end; io.write("unexpected: " .. n .. "\n") end
LUA
}
