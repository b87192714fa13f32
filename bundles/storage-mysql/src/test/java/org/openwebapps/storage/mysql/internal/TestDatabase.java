package org.openwebapps.storage.mysql.internal;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.UUID;

import org.openwebapps.storage.StorageLimits;
import org.openwebapps.storage.TestServers;

/**
 * A database of its own on the real server named by {@code MYSQL_URL}, {@code MYSQL_USER} and
 * {@code MYSQL_PASSWORD}, dropped by {@link #drop()}. A missing server fails under {@code CI=true}.
 */
final class TestDatabase {

    final String serverUrl = TestServers.require("MYSQL_URL");
    final String name = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    final String user = TestServers.optional("MYSQL_USER", "root");
    final String password = TestServers.optional("MYSQL_PASSWORD", "");

    /** @return the JDBC URL of this database on the server */
    String url() {
        return serverUrl.replaceAll("/[^/]*$", "/") + name;
    }

    /** @return the JDBC URL of this database reached through {@code port} on the loopback */
    String urlThrough(int port) {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + name;
    }

    URI server() {
        return URI.create(serverUrl.substring("jdbc:".length()));
    }

    /** A backend on {@code url} (this database, directly or through a proxy). */
    MysqlStorage backend(String url, int connections, StorageLimits limits, Clock clock) {
        return new MysqlStorage(MysqlStorage.pool(url, user, password, connections, 2000, 10000), limits, clock);
    }

    void drop() throws Exception {
        try (Connection connection = DriverManager.getConnection(serverUrl, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name);
        }
    }
}
