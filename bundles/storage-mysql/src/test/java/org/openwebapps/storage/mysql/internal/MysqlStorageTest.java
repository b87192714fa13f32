package org.openwebapps.storage.mysql.internal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

import org.openwebapps.storage.MutableClock;
import org.openwebapps.storage.StorageBackend;
import org.openwebapps.storage.StorageBackendConformance;
import org.openwebapps.storage.StorageLimits;
import org.openwebapps.storage.TestServers;

/**
 * The conformance suite against the real MySQL or MariaDB server named by {@code MYSQL_URL}
 * (e.g. {@code jdbc:mysql://127.0.0.1:3306/}), {@code MYSQL_USER}, {@code MYSQL_PASSWORD}, in a
 * database of its own that is dropped afterwards.
 */
class MysqlStorageTest extends StorageBackendConformance {

    private String serverUrl;
    private String database;

    @Override
    protected StorageBackend createBackend(MutableClock clock, StorageLimits limits) throws Exception {
        serverUrl = TestServers.require("MYSQL_URL");
        database = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = serverUrl.replaceAll("/[^/]*$", "/") + database;
        return new MysqlStorage(MysqlStorage.pool(url, user(), password(), 16, 2000, 10000), limits, clock);
    }

    @Override
    protected void closeBackend(StorageBackend backend) throws Exception {
        ((MysqlStorage) backend).close();
        try (Connection connection = DriverManager.getConnection(serverUrl, user(), password());
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database);
        }
    }

    private static String user() {
        return TestServers.optional("MYSQL_USER", "root");
    }

    private static String password() {
        return TestServers.optional("MYSQL_PASSWORD", "");
    }
}
