package org.openwebapps.storage.embedded.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.openwebapps.storage.MutableClock;
import org.openwebapps.storage.StorageBackend;
import org.openwebapps.storage.StorageBackendConformance;
import org.openwebapps.storage.StorageLimits;

/** The conformance suite against a real H2 file database in a fresh directory. */
class EmbeddedStorageTest extends StorageBackendConformance {

    private Path directory;

    @Override
    protected StorageBackend createBackend(MutableClock clock, StorageLimits limits) throws Exception {
        directory = Files.createTempDirectory("owa-embedded");
        return new EmbeddedStorage(directory, 16, limits, clock);
    }

    @Override
    protected void closeBackend(StorageBackend backend) throws Exception {
        ((EmbeddedStorage) backend).close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
