#!/usr/bin/env bash
# Measures the bare server: start command to first 200 on /__lbheartbeat__ (fresh unpack, then a
# warm restart), idle RSS, distribution size, and /__lbheartbeat__ throughput and p99 with wrk
# (16 connections, 10 s, after a 30 s warm-up: Jersey and HK2 need that long for the JIT to settle;
# after 5 s the same endpoint measured 4x slower) -- the ceiling later endpoints are compared with.
#
#   tools/bench/foundation.sh            (builds the distribution first if it is missing)
#
# Needs wrk (installed from Debian if missing). Client and server share the machine's cores.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$repo/pom.xml" | head -n 1)
tarball=$repo/distribution/target/openwebapps-distribution-$version.tar.gz
port=${OWA_BENCH_PORT:-18080}
[ -f "$tarball" ] || (cd "$repo" && mvn -B -q install -DskipTests -pl distribution -am)
command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ]; then
    export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
fi

work=$(mktemp -d)
home=$work/server
cleanup() {
    if pgrep -f "karaf.home=$home" >/dev/null; then stop_server; fi
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$home"
tar -xzf "$tarball" -C "$home" --strip-components=1

url=http://127.0.0.1:$port/__lbheartbeat__
start_and_time() {
    local begin end
    begin=$(date +%s%N)
    OWA_HTTP_PORT=$port OWA_SSH_PORT=$((port + 1)) "$home/bin/karaf" server >/dev/null 2>&1 &
    until curl -fsS -o /dev/null "$url" 2>/dev/null; do sleep 0.05; done
    end=$(date +%s%N)
    echo "scale=2; ($end - $begin) / 1000000000" | bc
}
stop_server() {
    "$home/bin/stop" >/dev/null 2>&1
    while pgrep -f "karaf.home=$home" >/dev/null; do sleep 0.1; done
}

fresh=$(start_and_time)
stop_server
warm=$(start_and_time)
sleep 10 # let the JVM settle before reading its idle footprint
pid=$(pgrep -f "karaf.home=$home" | head -n 1)
rss_mb=$(( $(ps -o rss= -p "$pid") / 1024 ))
threads=$(ps -o nlwp= -p "$pid" | tr -d ' ')

wrk -t2 -c16 -d30s "$url" >/dev/null # warm-up
result=$(wrk -t2 -c16 -d10s --latency "$url")
rps=$(awk '/Requests\/sec/ {print $2}' <<<"$result")
p50=$(awk '$1 == "50%" {print $2}' <<<"$result")
p99=$(awk '$1 == "99%" {print $2}' <<<"$result")
errors=$(grep -E "Non-2xx|Socket errors" <<<"$result" || echo "none")

cat <<REPORT
distribution:        $(du -h "$tarball" | cut -f1) tar.gz, $(du -sh --exclude=data "$home" | cut -f1) unpacked, $(find "$home/system" -name '*.jar' | wc -l) bundles in system/
start -> first 200:  ${fresh} s fresh unpack, ${warm} s warm restart
idle:                RSS ${rss_mb} MB, ${threads} threads (JAVA_MAX_MEM ${JAVA_MAX_MEM:-512M})
/__lbheartbeat__:    ${rps} req/s, p50 ${p50}, p99 ${p99} (wrk -t2 -c16 -d10s); errors: ${errors}
REPORT
