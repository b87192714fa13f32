#!/usr/bin/env bash
# Builds the server if its sources changed, then runs it in the foreground on its embedded
# defaults and prints the URL it serves. Ctrl-C stops it.
#
#   tools/run-server.sh             logs on the console
#   tools/run-server.sh --console   the Karaf shell on the console instead (logs: log:tail)
#
# Environment: OWA_HTTP_PORT (default 8080), OWA_HTTP_HOST (default 0.0.0.0),
# OWA_HOME (where the server is unpacked and keeps its data; default ./run).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
home=${OWA_HOME:-$repo/run}
port=${OWA_HTTP_PORT:-8080}
mode=run
case "${1:-}" in
    --console) mode=console ;;
    "") ;;
    *) echo "usage: $0 [--console]" >&2; exit 2 ;;
esac

if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ]; then
    export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
fi

version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$repo/pom.xml" | head -n 1)
tarball=$repo/distribution/target/openwebapps-distribution-$version.tar.gz
sources=("$repo/pom.xml" "$repo/bundles" "$repo/features" "$repo/distribution/pom.xml" "$repo/distribution/src")
if [ ! -f "$tarball" ] || [ -n "$(find "${sources[@]}" -newer "$tarball" -not -path '*/target/*' -print -quit)" ]; then
    echo "Building the server (mvn install -DskipTests)..."
    (cd "$repo" && mvn -B -q install -DskipTests -pl distribution -am)
fi

# Unpack a new build over the previous one, keeping data/ (logs, stored data) but not the
# framework cache, so that the new bundles are the ones that start.
if [ ! -f "$home/.unpacked" ] || [ "$tarball" -nt "$home/.unpacked" ]; then
    mkdir -p "$home"
    rm -rf "$home/system" "$home/lib" "$home/bin" "$home/etc" "$home/data/cache" "$home/data/kar"
    tar -xzf "$tarball" -C "$home" --strip-components=1
    touch "$home/.unpacked"
fi

# Announce the URL once the server answers.
(
    for _ in $(seq 1 600); do
        if curl -fsS -o /dev/null "http://127.0.0.1:$port/__lbheartbeat__" 2>/dev/null; then
            echo
            echo "Open Web Apps server is serving at http://127.0.0.1:$port/ (home: $home; Ctrl-C stops it)"
            exit 0
        fi
        sleep 0.2
    done
    echo "Open Web Apps server did not answer on port $port within 120 s; see $home/data/log/karaf.log" >&2
) &

cd "$home"
if [ "$mode" = console ]; then
    exec bin/karaf
else
    exec bin/karaf run
fi
