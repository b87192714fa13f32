#!/usr/bin/env bash
# The whole test suite with every test that needs a server: starts (installing if needed) MariaDB
# and a real single-node HBase the way .ci/run does, runs the README's test command with their
# variables set, stops HBase. Arguments go to Maven (e.g. -o, -pl bundles/storage-mysql).
set -uo pipefail
cd "$(dirname "$0")/.."
tools/ci/start-mariadb.sh || exit 1
export MYSQL_URL=jdbc:mysql://127.0.0.1:3306/test MYSQL_USER=root MYSQL_PASSWORD=
hbase_env=$(tools/hbase/start.sh) || exit 1
eval "$hbase_env"
trap tools/hbase/stop.sh EXIT
echo "MariaDB on 127.0.0.1:3306, HBase on ZooKeeper $HBASE_ZK_QUORUM:$HBASE_ZK_PORT"
mvn -B verify "$@"
