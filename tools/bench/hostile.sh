#!/usr/bin/env bash
# The server under attack: the heartbeat's latency (p50/p99/max, failures) while SLOW connections
# trickle request bodies and LOGINS logins name IdPs that trickle their support documents
# (lib/hostile.py), next to the same measurement on an idle server.
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
echo "idle:     $(python3 tools/bench/lib/hostile.py "$base" "$seconds" 0 0 1)"
echo "attacked: $(python3 tools/bench/lib/hostile.py "$base" "$seconds" "$slow" "$logins" "$tricklers")"
