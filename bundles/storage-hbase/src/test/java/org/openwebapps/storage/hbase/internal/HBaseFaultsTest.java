package org.openwebapps.storage.hbase.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.openwebapps.storage.Condition;
import org.openwebapps.storage.StorageLimits;
import org.openwebapps.storage.StorageUnavailableException;
import org.openwebapps.storage.StoredRecord;
import org.openwebapps.storage.TestServers;

/** The HBase backend with no cluster, or a frozen one: "unavailable", never a hang. */
class HBaseFaultsTest {

    /** Guards against a hang; well above the 2 s operation timeout, so it measures nothing. */
    private static final Duration HANG = Duration.ofSeconds(60);

    @Test
    void noClusterIsUnavailableNotAHang() throws Exception {
        HBaseStorage backend = new HBaseStorage("127.0.0.1", closedPort(), TableName.valueOf("it", "absent"), 2000,
                StorageLimits.defaults(), Clock.systemUTC());
        try {
            assertTimeoutPreemptively(HANG, () -> {
                assertThrows(StorageUnavailableException.class,
                        () -> backend.get("https://faults.example", "u@example.com", "k"));
                assertThrows(StorageUnavailableException.class, () -> backend.put("https://faults.example",
                        "u@example.com", "k", "v".getBytes(StandardCharsets.UTF_8), Condition.any()));
                assertFalse(backend.health().healthy());
            });
        } finally {
            backend.close();
        }
    }

    /**
     * The test HBase frozen (SIGSTOP): the client's own timeouts would hold a call 12 to 40 s (its
     * region lookup through ZooKeeper waits on the frozen server); the backend gives up when its
     * bound, operation timeout plus one RPC timeout, is reached, and serves again once HBase runs.
     */
    @Test
    void aFrozenServerIsUnavailableAtTheBoundThenServesAgain() throws Exception {
        String pid = TestServers.require("HBASE_PID");
        TableName table = TableName.valueOf("it", "f" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        HBaseStorage backend = new HBaseStorage(TestServers.require("HBASE_ZK_QUORUM"),
                Integer.parseInt(TestServers.require("HBASE_ZK_PORT")), table, 1000, StorageLimits.defaults(),
                Clock.systemUTC());
        try {
            backend.put("https://faults.example", "u@example.com", "k", bytes("before"), Condition.any());
            signal(pid, "STOP");
            try {
                assertTimeoutPreemptively(HANG, () -> {
                    StorageUnavailableException read = assertThrows(StorageUnavailableException.class,
                            () -> backend.get("https://faults.example", "u@example.com", "k"));
                    assertTrue(read.getMessage().contains("no answer within 1500 ms while reading"), read.getMessage());
                    StorageUnavailableException write = assertThrows(StorageUnavailableException.class,
                            () -> backend.put("https://faults.example", "u@example.com", "k", bytes("during"),
                                    Condition.any()));
                    assertTrue(write.getMessage().contains("no answer within 1500 ms while writing"), write.getMessage());
                    assertFalse(backend.health().healthy());
                });
            } finally {
                signal(pid, "CONT");
            }
            Optional<StoredRecord> after = assertTimeoutPreemptively(HANG, () -> {
                while (true) {
                    try {
                        return backend.get("https://faults.example", "u@example.com", "k");
                    } catch (StorageUnavailableException stillRecovering) {
                        // the client relocates the region; each try is bounded
                    }
                }
            });
            // the write during the freeze had an unknown outcome: either value is right
            String value = new String(after.orElseThrow().value(), StandardCharsets.UTF_8);
            assertTrue(value.equals("before") || value.equals("during"), value);
        } finally {
            try (Connection connection = ConnectionFactory.createConnection(backend.configuration());
                    Admin admin = connection.getAdmin()) {
                admin.disableTable(table);
                admin.deleteTable(table);
            }
            backend.close();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void signal(String pid, String signal) throws IOException, InterruptedException {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, pid).inheritIO().start().waitFor());
    }

    /** A port nothing listens on (bound, then released). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
