#!/usr/bin/env bash
# The storage router, measured through Sauropod's HTTP API on a server from the built
# distribution, primary embedded (default) or HBase, mirror MariaDB on 127.0.0.1:3306:
#   1. PUT of one key (wrk, 16 connections, 10 s after 20 s warm-up, 200 users): straight to the
#      primary (Sauropod bypassing the router), through the router without mirror, then with the
#      MySQL mirror, in the same run;
#   2. HBase primary only: a writer keeps writing while the HBase process is frozen (SIGSTOP):
#      the longest gap between acknowledged writes is the detection time a client sees;
#   3. the mirror made unreachable, 10,000 writes (200 users x 50 keys), the mirror back: how long
#      the replay takes, records/s; then the consistency check.
#
#   tools/bench/router.sh [embedded|hbase]
#
# Needs wrk, python3 and MariaDB on 127.0.0.1:3306 (root, no password); HBase is started with
# tools/hbase/start.sh unless HBASE_ZK_PORT is set. Client and server share the machine's cores.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
port=${OWA_BENCH_PORT:-18080}
users=${OWA_BENCH_USERS:-200}
primary=${1:-embedded}
token=bench-$RANDOM$RANDOM
database=bench_router_$(date +%s)
. "$repo/tools/bench/lib/dev-server.sh"
cd "$repo"
mvn -B -q install -DskipTests -pl distribution -am
[ "$primary" = hbase ] && with_hbase

configure_dev_server() {
    local etc=$home/etc boot="openwebapps-storage-mysql, "
    [ "$primary" = hbase ] && boot+="openwebapps-storage-hbase, "
    sed -i "s/^featuresBoot = /featuresBoot = $boot/" "$etc/org.apache.karaf.features.cfg"
    sed -i "s#^url *=.*#url = jdbc:mysql://127.0.0.1:3306/$database#" "$etc/org.openwebapps.storage.mysql.cfg"
    sed -i "s#^primary *=.*#primary = $primary#; s#^mirror *=.*#mirror =#; s#^.admin.token *=.*#.admin.token = $token#;
        s#^probe.interval.ms *=.*#probe.interval.ms = 200#" "$etc/org.openwebapps.storage.router.cfg"
    if [ "$primary" = hbase ]; then use_hbase "$etc"; fi
}
start_dev_server
status() { curl -fsS -H "Authorization: Bearer $token" "$base/admin/storage"; } # not POST /replay: a round waits on a frozen backend
# backend NAME FIELD -> the field of that backend in the router's status
backend() { status | python3 -c "import json,sys; print(next(b['$2'] for b in json.load(sys.stdin)['backends'] if b['name']=='$1'))"; }
wait_for() { until eval "$1" >/dev/null 2>&1; do sleep 0.05; done; }
ms() { date +%s%3N; }
router_cfg=$home/etc/org.openwebapps.storage.router.cfg
mysql_cfg=$home/etc/org.openwebapps.storage.mysql.cfg

wait_for 'curl -sS "$base/__heartbeat__" | grep -Eq "\"storage.$primary\":\{[^}]*\"status\":\"ok\""' # client warmed up
sauropod_users "$users"
sauropod_wrk_script PUT > "$work/put.lua"

echo "== 1. writes, mirror off and on (wrk -t2 -c16 -d10s after 20 s warm-up, $users users, primary $primary)"
sauropod_cfg=$home/etc/org.openwebapps.sauropod.cfg
sed -i "s#^storage.target *=.*#storage.target = (storage.name=$primary)#" "$sauropod_cfg" # applied within the warm-up
measure "PUT, $primary without router" -s "$work/put.lua" "$base"
sed -i "s#^storage.target *=.*#storage.target = (storage.name=router)#" "$sauropod_cfg"
measure "PUT, router, no mirror" -s "$work/put.lua" "$base"
sed -i "s#^mirror *=.*#mirror = mysql#" "$router_cfg"
wait_for '[ "$(backend mysql role)" = mirror ] && [ "$(backend mysql state)" = up ]'
curl -fsS -X POST -H "Authorization: Bearer $token" "$base/admin/storage/check?repair=true" >/dev/null # copy the first keys
measure "PUT, router, MySQL mirror" -s "$work/put.lua" "$base"

if [ "$primary" = hbase ]; then
    echo "== 2. the HBase process frozen under writes (operation.timeout.ms $(sed -n 's/^operation.timeout.ms *= *//p' "$home/etc/org.openwebapps.storage.hbase.cfg"))"
    rm -f "$work/stop"
    python3 tools/bench/lib/writer.py outage "$base" "$work/users.txt" "$work/stop" > "$work/outage.txt" &
    writer=$!
    sleep 3
    frozen=$(ms)
    kill -STOP "$HBASE_PID"
    wait_for '[ "$(backend hbase state)" = down ]'
    echo "router marked HBase down $(( $(ms) - frozen )) ms after the freeze"
    sleep 3
    kill -CONT "$HBASE_PID"
    resumed=$(ms)
    wait_for '[ "$(backend hbase state)" = up ] && [ "$(backend hbase pendingOwners)" = 0 ]'
    echo "HBase up and caught up $(( $(ms) - resumed )) ms after it resumed"
    touch "$work/stop"
    wait "$writer"
    cat "$work/outage.txt"
fi

echo "== 3. replay after an outage of the mirror"
sed -i "s#^url *=.*#url = jdbc:mysql://127.0.0.1:1/$database#" "$mysql_cfg" # nothing listens on port 1
wait_for 'curl -sS "$base/__heartbeat__" | grep -Eq "\"storage.mysql\":\{[^}]*\"status\":\"error\""' # restarted on it
python3 tools/bench/lib/writer.py fill "$base" "$work/users.txt" 50
pending=$(backend mysql pendingOwners)
before=$(backend mysql replayedRecords)
sed -i "s#^url *=.*#url = jdbc:mysql://127.0.0.1:3306/$database#" "$mysql_cfg"
back=$(ms)
wait_for '[ "$(backend mysql state)" = up ] && [ "$(backend mysql pendingOwners)" = 0 ]'
took=$(( $(ms) - back ))
replayed=$(( $(backend mysql replayedRecords) - before ))
echo "replayed $replayed records of $pending owners in $took ms (from the mirror's URL fixed until caught up): $(( replayed * 1000 / (took > 0 ? took : 1) )) records/s"
curl -fsS -X POST -H "Authorization: Bearer $token" "$base/admin/storage/check" | python3 -c \
    "import json,sys; r=json.load(sys.stdin); print('check: %d owners, %d records, %d differences, %d pending' % (r['owners'], r['records'], r['differences'], r['pendingOwners']))"
