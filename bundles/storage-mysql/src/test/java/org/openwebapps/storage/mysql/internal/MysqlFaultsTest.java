package org.openwebapps.storage.mysql.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openwebapps.storage.Condition;
import org.openwebapps.storage.StorageLimits;
import org.openwebapps.storage.StorageUnavailableException;
import org.openwebapps.storage.TestServers;

/**
 * The MySQL backend when its server goes away and comes back, through a proxy in front of the
 * real server: calls fail with "unavailable" instead of hanging, and work again on their own.
 */
class MysqlFaultsTest {

    /** Guards against a hang; far above the 2 s connect timeout, so it measures nothing. */
    private static final Duration HANG = Duration.ofSeconds(30);
    private static final String BUCKET = "https://faults.example";
    private static final String USER = "faults@example.com";

    private String serverUrl;
    private String database;
    private TcpProxy proxy;
    private MysqlStorage backend;

    @BeforeEach
    void start() throws Exception {
        serverUrl = TestServers.require("MYSQL_URL");
        URI server = URI.create(serverUrl.substring("jdbc:".length()));
        proxy = new TcpProxy(server.getHost(), server.getPort() < 0 ? 3306 : server.getPort());
        database = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = "jdbc:mysql://127.0.0.1:" + proxy.port() + "/" + database;
        backend = new MysqlStorage(MysqlStorage.pool(url, user(), password(), 4, 2000, 5000),
                StorageLimits.defaults(), Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        backend.close();
        proxy.close();
        try (Connection connection = DriverManager.getConnection(serverUrl, user(), password());
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database);
        }
    }

    @Test
    void serverDownIsUnavailableNotAHangAndServerBackRecovers() throws Exception {
        backend.put(BUCKET, USER, "k", bytes("before"), Condition.any());

        proxy.cut();
        assertTimeoutPreemptively(HANG, () -> {
            assertThrows(StorageUnavailableException.class, () -> backend.get(BUCKET, USER, "k"));
            assertThrows(StorageUnavailableException.class,
                    () -> backend.put(BUCKET, USER, "k", bytes("during"), Condition.any()));
        });
        assertFalse(backend.health().healthy());

        proxy.start();
        // the pool replaces its broken connections by itself: the first calls may still meet one
        assertTimeoutPreemptively(HANG, () -> {
            while (!backend.health().healthy()) {
                Thread.onSpinWait();
            }
        });
        assertTimeoutPreemptively(HANG, () -> {
            for (;;) {
                try {
                    backend.put(BUCKET, USER, "k", bytes("after"), Condition.any());
                    break;
                } catch (StorageUnavailableException stale) {
                    // a connection broken by the cut, evicted now
                }
            }
        });
        assertArrayEquals(bytes("after"), backend.get(BUCKET, USER, "k").orElseThrow().value());
        assertTrue(backend.health().healthy());
    }

    @Test
    void backendStartsWhileTheServerIsDownAndMigratesWhenItReturns() throws Exception {
        backend.close();
        proxy.cut();
        String url = "jdbc:mysql://127.0.0.1:" + proxy.port() + "/" + database;
        backend = new MysqlStorage(MysqlStorage.pool(url, user(), password(), 4, 2000, 5000),
                StorageLimits.defaults(), Clock.systemUTC());
        assertTimeoutPreemptively(HANG,
                () -> assertThrows(StorageUnavailableException.class, () -> backend.get(BUCKET, USER, "k")));

        proxy.start();
        assertTimeoutPreemptively(HANG, () -> {
            for (;;) {
                try {
                    backend.put(BUCKET, USER, "k", bytes("v"), Condition.absent());
                    break;
                } catch (StorageUnavailableException notYet) {
                    // the pool has not connected yet
                }
            }
        });
        assertArrayEquals(bytes("v"), backend.get(BUCKET, USER, "k").orElseThrow().value());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String user() {
        return TestServers.optional("MYSQL_USER", "root");
    }

    private static String password() {
        return TestServers.optional("MYSQL_PASSWORD", "");
    }
}
