#!/usr/bin/env bash
# Sauropod's HTTP API on the embedded backend under wrk (16 connections, 10 s after a 20 s
# warm-up), next to /__lbheartbeat__ in the same run: GET of one key and PUT of one key, each
# request for another of 200 users (sessions from development IdP logins).
#
#   tools/bench/sauropod.sh
#
# Needs wrk (installed from Debian if missing). Client and server share the machine's cores.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
port=${OWA_BENCH_PORT:-18080}
users=${OWA_BENCH_USERS:-200}
. "$repo/tools/bench/lib/dev-server.sh"
cd "$repo"
mvn -B -q install -DskipTests -pl distribution -am
start_dev_server

sauropod_users "$users"
sauropod_wrk_script GET > "$work/get.lua"
sauropod_wrk_script PUT > "$work/put.lua"

echo "wrk -t2 -c16 -d10s (after 20 s warm-up), $users users, embedded backend, server and client on $(nproc) cores"
measure "/__lbheartbeat__" "$base/__lbheartbeat__"
measure "GET one key" -s "$work/get.lua" "$base"
measure "PUT one key" -s "$work/put.lua" "$base"
