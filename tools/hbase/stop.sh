#!/usr/bin/env bash
# Stops the HBase that tools/hbase/start.sh started (clean shutdown, then kill after 30 s).
set -u
target=$(cd "$(dirname "$0")/../.." && pwd)/tools/hbase-standalone/target
[ -f "$target/hbase.pid" ] || exit 0
pid=$(cat "$target/hbase.pid")
if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 150); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    kill -9 "$pid" 2>/dev/null
fi
[ -f "$target/hbase.data" ] && rm -rf "$(cat "$target/hbase.data")"
rm -f "$target/hbase.pid" "$target/hbase.data" "$target/hbase.port"
