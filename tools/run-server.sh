#!/usr/bin/env bash
# Builds the server if its sources changed, then runs it in the foreground on its embedded
# defaults and prints the URL it serves. Ctrl-C stops it.
#
#   tools/run-server.sh             logs on the console
#   tools/run-server.sh --console   the Karaf shell on the console instead (logs: log:tail)
#   tools/run-server.sh --try       a loopback server to try everything: the development IdP
#                                   (sign in as anyone@127.0.0.1:<port>), the Dashboard, the store
#                                   with sample apps (tools/try/), the fake payment provider;
#                                   unpacked in ./run-try, apart from ./run
#
# Environment: OWA_HTTP_PORT (default 8080), OWA_HTTP_HOST (default 0.0.0.0; --try: 127.0.0.1),
# OWA_HOME (where the server is unpacked and keeps its data; default ./run, --try ./run-try),
# OWA_TRY_APPS_PORT (--try: the sample apps' port, default OWA_HTTP_PORT + 10),
# OWA_DISTRIBUTION (a distribution tar.gz to run instead of building one).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
port=${OWA_HTTP_PORT:-8080}
mode=run
case "${1:-}" in
    --console) mode=console ;;
    --try) mode=try ;;
    "") ;;
    *) echo "usage: $0 [--console | --try]" >&2; exit 2 ;;
esac
if [ "$mode" = try ]; then
    home=${OWA_HOME:-$repo/run-try}
    export OWA_HTTP_HOST=127.0.0.1 # the development IdP and the fake provider refuse anything else
    samples_port=${OWA_TRY_APPS_PORT:-$((port + 10))}
else
    home=${OWA_HOME:-$repo/run}
fi

if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ]; then
    export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
fi

version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$repo/pom.xml" | head -n 1)
tarball=${OWA_DISTRIBUTION:-$repo/distribution/target/openwebapps-distribution-$version.tar.gz}
sources=("$repo/pom.xml" "$repo/bundles" "$repo/features" "$repo/distribution/pom.xml" "$repo/distribution/src")
if [ -z "${OWA_DISTRIBUTION:-}" ] && { [ ! -f "$tarball" ] ||
        [ -n "$(find "${sources[@]}" -newer "$tarball" -not -path '*/target/*' -print -quit)" ]; }; then
    echo "Building the server (mvn install -DskipTests)..."
    (cd "$repo" && mvn -B -q install -DskipTests -pl distribution -am)
fi

# A new build goes in through its own bin/upgrade, as an operator upgrades: data/ is kept, the
# framework cache is not (the new bundles are the ones that start), and etc/ keeps every value
# set there while keys left alone take the new defaults.
if [ ! -f "$home/.unpacked" ] || [ "$tarball" -nt "$home/.unpacked" ]; then
    staging=$(mktemp -d "${TMPDIR:-/tmp}/openwebapps-unpack.XXXXXX")
    tar -xzf "$tarball" -C "$staging" --strip-components=1
    "$staging/bin/upgrade" "$home"
    rm -rf "$staging"
    touch "$home/.unpacked"
fi

# --try: every setting a newcomer would otherwise make by hand, applied on each start
configure_try() {
    local etc=$home/etc base=http://127.0.0.1:$port hosts
    hosts=127.0.0.1:$port$(for n in 2 3 4 5 6 7; do printf ',127.0.0.%d:%d' "$n" "$samples_port"; done)
    grep -q 'openwebapps-browserid-dev-idp' "$etc/org.apache.karaf.features.cfg" ||
        sed -i 's/^featuresBoot = \\$/featuresBoot = openwebapps-browserid-dev-idp, openwebapps-payments-fake, \\/' \
            "$etc/org.apache.karaf.features.cfg"
    grep -q 'openwebapps-browserid-dev-idp' "$etc/org.apache.karaf.features.cfg"
    sed -i -e "s/^allow.http.hosts *=.*/allow.http.hosts = $hosts/" -e "s/^allow.private.hosts *=.*/allow.private.hosts = $hosts/" \
        "$etc/org.openwebapps.fetch.cfg"
    sed -i "s#^audiences *=.*#audiences = $base#" "$etc/org.openwebapps.sauropod.cfg" "$etc/org.openwebapps.appsync.cfg"
    sed -i -e "s#^site.url *=.*#site.url = $base#" -e "s#^audiences *=.*#audiences = $base#" \
        -e "s#^reviewers *=.*#reviewers = reviewer@127.0.0.1:$port#" "$etc/org.openwebapps.marketplace.cfg"
    sed -i "s#^signin *=.*#signin = dev#" "$etc/org.openwebapps.dashboard.cfg" "$etc/org.openwebapps.marketplace.web.cfg"
}

try_seed() {
    local base=http://127.0.0.1:$port
    until curl -fsS "$base/__heartbeat__" 2>/dev/null | grep -Eq '"marketplace":\{[^}]*"status":"ok"'; do sleep 0.3; done
    until curl -fsS -o /dev/null "$base/.well-known/browserid" 2>/dev/null; do sleep 0.3; done
    (cd "$repo/tools/try" && python3 seed.py "$base" "$port" "$samples_port") || echo "Sample apps not seeded (see above)" >&2
    echo
    echo "Try it: open $base/store/ (the store) or $base/dashboard/ (your apps); sign in as any name@127.0.0.1:$port (no password)."
    echo "  reviewer@127.0.0.1:$port reviews submissions; the samples' developer is developer@127.0.0.1:$port; payments are fake."
    echo "  Home: $home; Ctrl-C stops the server and the sample apps."
}

if [ "$mode" = try ]; then
    configure_try
    python3 "$repo/tools/try/sample_apps.py" "$samples_port" &
    samples=$!
    trap 'kill $samples 2>/dev/null' EXIT
    try_seed &
    cd "$home"
    bin/karaf run
    exit $?
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
