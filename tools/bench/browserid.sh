#!/usr/bin/env bash
# BrowserID verification: (1) local verifications/s on one thread per IdP x user key algorithm,
# warm support-document cache (VerificationBench in bundles/auth-browserid's tests); (2) the
# verifier API (POST /browserid/verify) under wrk, 16 connections, 10 s after a 20 s warm-up,
# next to /__lbheartbeat__ in the same run, with assertions from the development IdP.
#
#   tools/bench/browserid.sh [seconds per pair]
#
# Needs wrk (installed from Debian if missing). Client and server share the machine's cores.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-3}
port=${OWA_BENCH_PORT:-18080}
. "$repo/tools/bench/lib/dev-server.sh"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
cd "$repo"
mvn -B -q install -DskipTests -pl distribution -am
module=bundles/auth-browserid
mvn -B -q -pl $module test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt
"$java" -cp "$module/target/test-classes:$module/target/classes:$(cat $module/target/cp.txt)" \
    org.openwebapps.auth.browserid.internal.VerificationBench "$seconds"

# (2) the verifier API, with the development IdP as the users' IdP
start_dev_server
lua=$work/verify.lua
{
    echo 'local bodies = {'
    for i in $(seq 1 100); do
        echo "  \"assertion=$(dev_assertion "user$i")&audience=$(printf %s "$audience" | sed 's/:/%3A/g; s#/#%2F#g')\","
    done
    echo '}'
    echo 'local i = 0'
    echo 'wrk.method = "POST"'
    echo 'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"'
    echo 'request = function() i = i % #bodies + 1; return wrk.format(nil, "/browserid/verify", nil, bodies[i]) end'
    # count verdicts other than okay across wrk's threads
    echo 'local threads = {}'
    echo 'function setup(thread) table.insert(threads, thread) end'
    echo 'failures = 0'
    echo 'function response(status, headers, body) if not body:find("okay", 1, true) then failures = failures + 1 end end'
    echo 'function done() local f = 0; for _, t in ipairs(threads) do f = f + t:get("failures") end; io.write("not okay: " .. f .. "\n") end'
} > "$lua"

echo "wrk -t2 -c16 -d10s (after 20 s warm-up), server and client on this machine's $(nproc) cores"
measure "/__lbheartbeat__" "$base/__lbheartbeat__"
measure "POST /browserid/verify" -s "$lua" "$base"
