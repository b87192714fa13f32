package org.openwebapps.storage.embedded.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import com.zaxxer.hikari.HikariDataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openwebapps.storage.Mutation;
import org.openwebapps.storage.StorageLimits;
import org.openwebapps.storage.StorageUnavailableException;

/**
 * The backend's life cycle around its files: it starts even when it cannot open them yet, and
 * releases them when closed even while someone else holds a connection (a hot swap's successor,
 * in another class loader, must be able to open them).
 */
class EmbeddedStorageStartTest {

    @Test
    void startsUnavailableAndOpensTheDatabaseOnceItCan(@TempDir Path temp) throws Exception {
        Path blocker = temp.resolve("storage");
        Files.writeString(blocker, "a file where the database directory should be");
        EmbeddedStorage backend = new EmbeddedStorage(blocker.resolve("embedded"), 4, StorageLimits.defaults(),
                Clock.systemUTC());
        try {
            assertThrows(StorageUnavailableException.class, () -> backend.get("b", "u", "k"));
            assertEquals(false, backend.health().healthy());

            Files.delete(blocker);
            backend.write("b", "u", List.of(Mutation.put("k", "v".getBytes(StandardCharsets.UTF_8))));
            assertEquals(Optional.of("v"), backend.get("b", "u", "k").map(record -> new String(record.value(), StandardCharsets.UTF_8)));
            assertEquals(true, backend.health().healthy());
        } finally {
            backend.close();
        }
    }

    @Test
    void closingShutsTheDatabaseDownEvenWhileAConnectionIsHeld(@TempDir Path directory) throws Exception {
        EmbeddedStorage backend = new EmbeddedStorage(directory, 4, StorageLimits.defaults(), Clock.systemUTC());
        backend.write("b", "u", List.of(Mutation.put("k", "v".getBytes(StandardCharsets.UTF_8))));
        try (HikariDataSource other = EmbeddedStorage.open(directory, 1)) {
            Connection held = other.getConnection(); // never returned: the pool's close discards it
            backend.close();
            assertThrows(SQLException.class, () -> held.createStatement().executeQuery("SELECT 1"));
        }
        EmbeddedStorage successor = new EmbeddedStorage(directory, 4, StorageLimits.defaults(), Clock.systemUTC());
        try {
            assertEquals(Optional.of("v"), successor.get("b", "u", "k")
                    .map(record -> new String(record.value(), StandardCharsets.UTF_8)));
        } finally {
            successor.close();
        }
    }
}
