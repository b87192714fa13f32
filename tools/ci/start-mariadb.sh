#!/usr/bin/env bash
# Makes sure a MariaDB answers on 127.0.0.1:3306 with root and an empty password over TCP:
# leaves a running server alone, otherwise installs (Debian package) and starts one.
# Steps and pitfalls: ../shared/reference/backends-spike.md, section 3.
set -euo pipefail

ping() { mariadb-admin --protocol=TCP -h127.0.0.1 -uroot ping >/dev/null 2>&1; }

if command -v mariadb-admin >/dev/null && ping; then
    echo "MariaDB already answers on 127.0.0.1:3306"
    exit 0
fi
if ! command -v mariadbd >/dev/null && [ ! -x /usr/sbin/mariadbd ]; then
    echo "Installing mariadb-server..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null
fi
mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
# as root, mariadbd refuses to start without --user
start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
for _ in $(seq 1 300); do
    if mariadb-admin -uroot ping >/dev/null 2>&1; then
        break
    fi
    sleep 0.1
done
# Debian's root@localhost accepts only the unix socket: allow the empty password over TCP too.
mariadb -uroot -e "ALTER USER root@localhost IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket;
                   CREATE DATABASE IF NOT EXISTS test;"
ping || { echo "MariaDB did not come up on 127.0.0.1:3306" >&2; exit 1; }
echo "MariaDB started on 127.0.0.1:3306"
