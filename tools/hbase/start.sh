#!/usr/bin/env bash
# Starts a real standalone HBase (tools/hbase-standalone) in the background on Java 17 and waits
# until it serves; prints the variables tests read:
#
#   eval "$(tools/hbase/start.sh)"      # exports HBASE_ZK_QUORUM, HBASE_ZK_PORT, HBASE_PID
#   tools/hbase/start.sh --restart      # after the process was killed: same data, same ZooKeeper port
#   tools/hbase/stop.sh
#
# Data lives in a fresh temporary directory; the log is tools/hbase-standalone/target/hbase.log.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
module=$repo/tools/hbase-standalone
java_home=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64} # HBase fails on Java 23+
(cd "$module" && mvn -B -q package dependency:build-classpath -Dmdep.outputFile=target/cp.txt) >&2
port_file=$module/target/hbase.port
if [ "${1:-}" = --restart ]; then
    data=$(cat "$module/target/hbase.data")
    zk_port=$(cat "$port_file")
    if kill -0 "$(cat "$module/target/hbase.pid")" 2>/dev/null; then
        echo "HBase is still running: kill it first" >&2
        exit 1
    fi
else
    data=$(mktemp -d /tmp/owa-hbase.XXXXXX)
    zk_port=
fi
rm -f "$port_file"
[ -n "$zk_port" ] || : > "$module/target/hbase.log"
"$java_home/bin/java" -Xmx512m \
    --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
    --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
    --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
    --add-opens=java.base/java.io=ALL-UNNAMED --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED \
    --add-exports=java.base/sun.net.util=ALL-UNNAMED \
    -Dorg.apache.hbase.thirdparty.io.netty.tryReflectionSetAccessible=true \
    -cp "$module/target/classes:$(cat "$module/target/cp.txt")" \
    org.openwebapps.tools.hbase.HBaseStandalone "$data" "$port_file" $zk_port >> "$module/target/hbase.log" 2>&1 &
pid=$!
echo "$pid" > "$module/target/hbase.pid"
echo "$data" > "$module/target/hbase.data"
for _ in $(seq 1 600); do
    if [ -s "$port_file" ]; then
        echo "export HBASE_ZK_QUORUM=127.0.0.1 HBASE_ZK_PORT=$(cat "$port_file") HBASE_PID=$pid"
        exit 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "HBase exited during startup:" >&2
        tail -n 40 "$module/target/hbase.log" >&2
        exit 1
    fi
    sleep 0.2
done
echo "HBase not ready after 120 s:" >&2
tail -n 40 "$module/target/hbase.log" >&2
kill "$pid" 2>/dev/null || true
exit 1
