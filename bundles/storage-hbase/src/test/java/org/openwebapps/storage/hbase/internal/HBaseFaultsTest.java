package org.openwebapps.storage.hbase.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

import org.apache.hadoop.hbase.TableName;
import org.junit.jupiter.api.Test;
import org.openwebapps.storage.Condition;
import org.openwebapps.storage.StorageLimits;
import org.openwebapps.storage.StorageUnavailableException;

/** The HBase backend with no cluster behind its ZooKeeper address: "unavailable", never a hang. */
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

    /** A port nothing listens on (bound, then released). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
