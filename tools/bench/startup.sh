#!/usr/bin/env bash
# Start time and idle memory of the distribution on its embedded defaults: from `bin/karaf server`
# to the first 200 on /__lbheartbeat__, and the JVM's resident set 20 s later, for a fresh unpack
# and for a warm restart of the same folder; RUNS times each (default 5), then the medians.
#
#   tools/bench/startup.sh [runs]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-5}
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ]; then
    export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
fi
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$repo/pom.xml" | head -n 1)
tarball=${OWA_DISTRIBUTION:-$repo/distribution/target/openwebapps-distribution-$version.tar.gz}
[ -f "$tarball" ] || (cd "$repo" && mvn -B -q install -DskipTests -pl distribution -am)
port=$((20000 + RANDOM % 10000))
export OWA_HTTP_HOST=127.0.0.1 OWA_HTTP_PORT=$port OWA_SSH_PORT=$((port + 1))
home=$(mktemp -d "${TMPDIR:-/tmp}/owa-startup.XXXXXX")
trap 'pkill -9 -f "karaf.home=$home" 2>/dev/null; rm -rf "$home"' EXIT

now_ms() { date +%s%3N; }

# one start: prints "<ms to first 200> <idle RSS in MB>"
measure() {
    local started pid rss
    started=$(now_ms)
    "$home/bin/karaf" server > "$home/console.log" 2>&1 &
    until curl -fs -o /dev/null "http://127.0.0.1:$port/__lbheartbeat__" 2>/dev/null; do sleep 0.02; done
    echo -n "$(( $(now_ms) - started )) "
    sleep 20
    pid=$(pgrep -f "karaf.home=$home" | head -n 1)
    rss=$(awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
    echo "$rss"
    "$home/bin/stop" > /dev/null 2>&1 || true
    while pgrep -f "karaf.home=$home" > /dev/null; do sleep 0.2; done
}

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

fresh=() warm=()
for run in $(seq 1 "$runs"); do
    rm -rf "${home:?}"/*
    tar -xzf "$tarball" -C "$home" --strip-components=1
    fresh+=("$(measure)")
    warm+=("$(measure)")
    echo "run $run: fresh ${fresh[-1]}, warm ${warm[-1]} (ms to first 200, MB resident after 20 s idle)"
done
for kind in fresh warm; do
    declare -n results=$kind
    ms=$(printf '%s\n' "${results[@]}" | awk '{print $1}' | median)
    mb=$(printf '%s\n' "${results[@]}" | awk '{print $2}' | median)
    echo "$kind start: median ${ms} ms to the first 200, ${mb} MB resident idle (of $runs runs)"
done
