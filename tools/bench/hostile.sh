#!/usr/bin/env bash
# The server under attack: the heartbeat's latency (wrk, 2 connections: p50/p99/max, errors) while
# SLOW connections trickle request bodies and LOGINS logins name IdPs that trickle their support
# documents (lib/hostile.py), next to the same measurement on an idle server.
#
#   tools/bench/hostile.sh [seconds] [slow bodies] [logins] [trickling IdPs]     (20 250 200 4)
#
# Client and server share the machine's cores.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-20} slow=${2:-250} logins=${3:-200} tricklers=${4:-4}
port=${OWA_BENCH_PORT:-18080}
. "$repo/tools/bench/lib/dev-server.sh"
cd "$repo"
mvn -B -q install -DskipTests -pl distribution -am
configure_dev_server() {
    # the trickling IdPs listen on 127.0.0.1, any port
    sed -i -e "s/^allow.http.hosts *=.*/allow.http.hosts = 127.0.0.1/" \
        -e "s/^allow.private.hosts *=.*/allow.private.hosts = 127.0.0.1/" "$home/etc/org.openwebapps.fetch.cfg"
}
start_dev_server
heartbeat() { # wrk's latency of /__heartbeat__ on 2 connections for $seconds
    local result
    result=$(wrk -t1 -c2 -d"${seconds}s" --latency "$base/__heartbeat__")
    printf '%s req/s, p50 %s, p99 %s, max %s %s' "$(awk '/Requests\/sec/ {print $2}' <<<"$result")" \
        "$(awk '$1 == "50%" {print $2}' <<<"$result")" "$(awk '$1 == "99%" {print $2}' <<<"$result")" \
        "$(awk '$1 == "Latency" {print $4}' <<<"$result")" "$(grep -E 'Non-2xx|Socket errors' <<<"$result" | tr '\n' ' ' || true)"
}
wrk -t1 -c2 -d5s "$base/__heartbeat__" >/dev/null # warm-up
echo "heartbeat, idle:     $(heartbeat)"
python3 tools/bench/lib/hostile.py "$base" "$((seconds + 4))" "$slow" "$logins" "$tricklers" > "$work/hostile.txt" &
attack=$!
sleep 3 # every connection open
echo "heartbeat, attacked: $(heartbeat)"
wait "$attack"
echo "while $slow slow bodies and $logins logins naming $tricklers trickling IdPs were open: $(cat "$work/hostile.txt")"
