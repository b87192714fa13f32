package org.openwebapps.storage.mysql.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openwebapps.storage.Condition;
import org.openwebapps.storage.StorageException;
import org.openwebapps.storage.StorageLimits;
import org.openwebapps.storage.StorageUnavailableException;

/**
 * The MySQL backend when its server goes away and comes back, through a proxy in front of the
 * real server: calls fail with "unavailable" instead of hanging, and work again on their own.
 */
class MysqlFaultsTest {

    /** Guards against a hang; far above the 2 s connect timeout, so it measures nothing. */
    private static final Duration HANG = Duration.ofSeconds(30);
    private static final String BUCKET = "https://faults.example";
    private static final String USER = "faults@example.com";

    private TestDatabase database;
    private TcpProxy proxy;
    private MysqlStorage backend;

    /** A storage call that may fail. */
    private interface Call {
        void run() throws StorageException;
    }

    @BeforeEach
    void start() throws Exception {
        database = new TestDatabase();
        URI server = database.server();
        proxy = new TcpProxy(server.getHost(), server.getPort() < 0 ? 3306 : server.getPort());
        backend = newBackend();
    }

    /** Also after a setup that stopped early (no server configured: the test was skipped). */
    @AfterEach
    void stop() throws Exception {
        if (backend != null) {
            backend.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (database != null) {
            database.drop();
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
        // the pool replaces the connections the cut broke by itself; until then calls may meet one
        untilAvailable(() -> backend.put(BUCKET, USER, "k", bytes("after"), Condition.any()));
        assertArrayEquals(bytes("after"), backend.get(BUCKET, USER, "k").orElseThrow().value());
        assertTrue(backend.health().healthy());
    }

    @Test
    void backendStartsWhileTheServerIsDownAndMigratesWhenItReturns() throws Exception {
        backend.close();
        proxy.cut();
        backend = newBackend();
        assertTimeoutPreemptively(HANG,
                () -> assertThrows(StorageUnavailableException.class, () -> backend.get(BUCKET, USER, "k")));

        proxy.start();
        untilAvailable(() -> backend.put(BUCKET, USER, "k", bytes("v"), Condition.absent()));
        assertArrayEquals(bytes("v"), backend.get(BUCKET, USER, "k").orElseThrow().value());
    }

    private MysqlStorage newBackend() {
        return database.backend(database.urlThrough(proxy.port()), 4, StorageLimits.defaults(), Clock.systemUTC());
    }

    /** Repeats {@code call} while it answers "unavailable"; a hang or any other error fails. */
    private static void untilAvailable(Call call) {
        assertTimeoutPreemptively(HANG, () -> {
            for (;;) {
                try {
                    call.run();
                    return;
                } catch (StorageUnavailableException notYet) {
                    // the pool has not reconnected yet
                }
            }
        });
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
