#!/usr/bin/env bash
# Storage backends next to their raw drivers: get, put, conditional put, atomic batch of 20,
# changes-since of 100, with 1 and 8 threads (tools/storage-bench).
#
#   tools/bench/storage.sh [embedded|mysql|hbase|all] [seconds per run]
#
# mysql uses the server on 127.0.0.1:3306 (root, empty password; tools/ci/start-mariadb.sh) and
# the database owa_bench, dropped afterwards. hbase uses HBASE_ZK_QUORUM/HBASE_ZK_PORT when set,
# else starts tools/hbase/start.sh for the run; its tables are dropped afterwards.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
which=${1:-all}
seconds=${2:-5}
cd "$repo"
mvn -B -q install -DskipTests -pl tools/storage-bench -am
mvn -B -q -pl tools/storage-bench dependency:build-classpath -Dmdep.outputFile=target/cp.txt
cp="tools/storage-bench/target/classes:$(cat tools/storage-bench/target/cp.txt)"
for backend in embedded mysql; do
    if [ "$which" = all ] || [ "$which" = "$backend" ]; then
        java -Xmx1g -cp "$cp" org.openwebapps.tools.storagebench.StorageBench "$backend" "$seconds"
    fi
done
if [ "$which" = all ] || [ "$which" = mysql ]; then
    mariadb --protocol=TCP -h127.0.0.1 -uroot -e "DROP DATABASE IF EXISTS owa_bench" || true
fi
if [ "$which" = all ] || [ "$which" = hbase ]; then
    if [ -z "${HBASE_ZK_PORT:-}" ]; then
        eval "$(tools/hbase/start.sh)"
        trap tools/hbase/stop.sh EXIT
    fi
    java -Xmx1g -cp "$cp" org.openwebapps.tools.storagebench.HBaseBench "${HBASE_ZK_QUORUM:-127.0.0.1}" \
        "$HBASE_ZK_PORT" "$seconds"
fi
