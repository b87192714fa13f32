#!/usr/bin/env bash
# The web pages in headless Chromium against tools/run-server.sh --try: the Dashboard with 20 apps,
# from the navigation's start to the list shown, cold (HTTP cache cleared) and warm (reloaded: 304s),
# five times each; the bytes a cold visit moves; how long an app installed on another device takes
# to appear (the page's default 10 s poll, and AppSync's X-Sync-Poll-Time of 1 s). Also refreshes
# the screenshots in docs/screenshots/. Needs chromium, chromium-driver and python3.
#
#   tools/bench/pages.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ]; then
    export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
fi
mvn -B -q install -DskipTests -pl distribution -am
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -n 1)
mvn -B -q -pl itests/browser test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
    -Dexec.mainClass=org.openwebapps.itests.browser.PageTiming -Dexec.classpathScope=test \
    -Dopenwebapps.repo="$repo" -Dopenwebapps.distribution="$repo/distribution/target/openwebapps-distribution-$version.tar.gz"
