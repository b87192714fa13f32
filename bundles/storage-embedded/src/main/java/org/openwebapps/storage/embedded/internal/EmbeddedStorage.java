package org.openwebapps.storage.embedded.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcDataSource;
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

    private final HikariDataSource pool;

    @Activate
    public EmbeddedStorage(EmbeddedStorageConfiguration config) {
        this(directory(config), config.max_connections(), limits(config), Clock.systemUTC());
    }

    EmbeddedStorage(Path directory, int maxConnections, StorageLimits limits, Clock clock) {
        this(open(directory, maxConnections), limits, clock);
        try {
            migrate();
            LOG.info("Embedded storage open in {}", directory);
        } catch (StorageUnavailableException e) {
            // e.g. the files still locked by a predecessor closing in a hot swap: a backend that
            // failed to activate would stay away until restarted, one that answers "unavailable"
            // opens the database on the first call that finds it free
            LOG.warn("Embedded storage in {} cannot be opened yet ({}); will retry on use", directory, e.getMessage());
        }
    }

    private EmbeddedStorage(HikariDataSource pool, StorageLimits limits, Clock clock) {
        super(NAME, pool, new H2Dialect(), clock, limits);
        this.pool = pool;
    }

    /**
     * Shuts the database down before closing the pool: H2 would close it with its last connection,
     * but a connection still held elsewhere would keep the files locked, and the next instance of
     * this bundle (another class loader, in a hot swap) could not open them.
     */
    @Deactivate
    void close() {
        if (schemaReady()) {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            } catch (SQLException e) {
                if (e.getErrorCode() != ErrorCode.DATABASE_CALLED_AT_SHUTDOWN) { // closing what SHUTDOWN closed
                    LOG.warn("Embedded storage: shutdown failed ({})", e.getMessage());
                }
            }
        }
        pool.close();
    }

    /**
     * The pooled H2 data source of the backend (public for the benchmark in tools/storage-bench).
     * HikariCP rather than H2's own pool: H2's pool rolls every connection back when it returns,
     * which throws away the session's parsed statements, and every query was parsed again (JFR:
     * a third of an AppSync poll's CPU; a primary-key read took 4.1 µs instead of 1.2).
     */
    public static HikariDataSource open(Path directory, int maxConnections) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max.connections must be at least 1, got " + maxConnections);
        }
        JdbcDataSource h2 = new JdbcDataSource(); // a data source, not DriverManager: that fails across bundles
        // OPTIMIZE_REUSE_RESULTS: H2 would answer a repeated query from its last result when the
        // database's modification counter has not moved, but the counter moves when a writer's
        // statement runs, not when it commits: a reader then kept a result from before the commit.
        h2.setURL("jdbc:h2:file:" + directory.resolve("openwebapps").toAbsolutePath()
                + ";WRITE_DELAY=0;OPTIMIZE_REUSE_RESULTS=FALSE");
        h2.setUser("sa");
        h2.setPassword("");
        HikariConfig config = new HikariConfig();
        config.setDataSource(h2);
        config.setPoolName("openwebapps-embedded");
        config.setMaximumPoolSize(maxConnections);
        config.setConnectionTimeout(5000);
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
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
