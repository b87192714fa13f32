package org.openwebapps.storage.embedded.internal;

import java.nio.file.Path;
import java.time.Clock;

import org.h2.jdbcx.JdbcConnectionPool;
import org.openwebapps.storage.StorageBackend;
import org.openwebapps.storage.StorageLimits;
import org.openwebapps.storage.StorageUnavailableException;
import org.openwebapps.storage.jdbc.JdbcStorageBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded backend: an H2 file database opened with {@code WRITE_DELAY=0}, so that a killed
 * process keeps every acknowledged write (H2's default 500 ms write delay lost them all in the
 * backends spike).
 */
@Component(service = StorageBackend.class, configurationPid = EmbeddedStorage.PID,
        property = StorageBackend.NAME_PROPERTY + "=" + EmbeddedStorage.NAME)
@Designate(ocd = EmbeddedStorageConfiguration.class)
public final class EmbeddedStorage extends JdbcStorageBackend {

    static final String PID = "org.openwebapps.storage.embedded";
    static final String NAME = "embedded";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStorage.class);

    private final JdbcConnectionPool pool;

    @Activate
    public EmbeddedStorage(EmbeddedStorageConfiguration config) throws StorageUnavailableException {
        this(directory(config), config.max_connections(), limits(config), Clock.systemUTC());
    }

    EmbeddedStorage(Path directory, int maxConnections, StorageLimits limits, Clock clock)
            throws StorageUnavailableException {
        this(open(directory, maxConnections), limits, clock);
        LOG.info("Embedded storage open in {}", directory);
    }

    private EmbeddedStorage(JdbcConnectionPool pool, StorageLimits limits, Clock clock)
            throws StorageUnavailableException {
        super(NAME, pool, new H2Dialect(), clock, limits);
        this.pool = pool;
        try {
            migrate();
        } catch (StorageUnavailableException e) {
            pool.dispose();
            throw e;
        }
    }

    @Deactivate
    void close() {
        pool.dispose();
    }

    /** The pooled H2 data source of the backend (public for the benchmark in tools/storage-bench). */
    public static JdbcConnectionPool open(Path directory, int maxConnections) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max.connections must be at least 1, got " + maxConnections);
        }
        String url = "jdbc:h2:file:" + directory.resolve("openwebapps").toAbsolutePath() + ";WRITE_DELAY=0";
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "sa", "");
        pool.setMaxConnections(maxConnections);
        pool.setLoginTimeout(5);
        return pool;
    }

    private static Path directory(EmbeddedStorageConfiguration config) {
        if (!config.directory().isBlank()) {
            return Path.of(config.directory());
        }
        return Path.of(System.getProperty("karaf.data", "data"), "storage", NAME);
    }

    private static StorageLimits limits(EmbeddedStorageConfiguration config) {
        if (config.max_value_bytes() < 1) {
            throw new IllegalArgumentException("max.value.bytes must be at least 1, got " + config.max_value_bytes());
        }
        return StorageLimits.defaults().withMaxValueBytes(config.max_value_bytes());
    }
}
