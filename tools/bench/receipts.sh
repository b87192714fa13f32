#!/usr/bin/env bash
# Receipts signed and verified per second on one thread, in process (no HTTP, no storage): signing
# (the certificate made once per signing key), the chain check with the certificate already proven
# and with a new one, and the verifier's whole verdict with the purchase at hand. The verifier over
# HTTP, under wrk next to the heartbeat: tools/bench/payments.sh.
#
#   tools/bench/receipts.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
mvn -B -q install -DskipTests -pl bundles/marketplace-receipts -am
mvn -B -q -pl bundles/marketplace-receipts test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
    -Dexec.mainClass=org.openwebapps.marketplace.receipts.internal.ReceiptThroughput -Dexec.classpathScope=test
