package org.openwebapps.storage.mysql.internal;

import java.sql.SQLException;
import java.time.Clock;

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

import com.mysql.cj.jdbc.MysqlDataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The MySQL / MariaDB backend. Starts even when the server is down (the pool connects lazily and
 * the schema is migrated on first use), answers "unavailable" within the connect timeout while
 * it is, and recovers by itself when it returns.
 */
@Component(service = StorageBackend.class, configurationPid = MysqlStorage.PID,
        property = StorageBackend.NAME_PROPERTY + "=" + MysqlStorage.NAME)
@Designate(ocd = MysqlStorageConfiguration.class)
public final class MysqlStorage extends JdbcStorageBackend {

    static final String PID = "org.openwebapps.storage.mysql";
    static final String NAME = "mysql";

    private static final Logger LOG = LoggerFactory.getLogger(MysqlStorage.class);

    private final HikariDataSource pool;

    @Activate
    public MysqlStorage(MysqlStorageConfiguration config) {
        this(pool(config), limits(config), Clock.systemUTC());
        LOG.info("MySQL storage configured for {}", redacted(config.url()));
        try {
            migrate();
        } catch (StorageUnavailableException e) {
            LOG.warn("MySQL storage: database not reachable yet ({}); will retry on use", e.getMessage());
        }
    }

    MysqlStorage(HikariDataSource pool, StorageLimits limits, Clock clock) {
        super(NAME, pool, new MysqlDialect(), clock, limits);
        this.pool = pool;
    }

    @Deactivate
    void close() {
        pool.close();
    }

    /**
     * A pool over Connector/J, created directly: DriverManager does not work across bundles.
     * Public for the benchmark in tools/storage-bench.
     */
    public static HikariDataSource pool(String url, String user, String password, int maxConnections, int connectTimeoutMs,
            int socketTimeoutMs) {
        MysqlDataSource mysql = new MysqlDataSource();
        mysql.setURL(url);
        mysql.setUser(user);
        mysql.setPassword(password);
        try {
            mysql.setConnectTimeout(connectTimeoutMs);
            mysql.setSocketTimeout(socketTimeoutMs);
            mysql.setCreateDatabaseIfNotExist(true);
            // writes are multi-statement scripts of bound parameters (MysqlDialect): one round trip each
            mysql.setAllowMultiQueries(true);
            // answer autocommit/isolation queries from the driver's state instead of a round trip
            mysql.setUseLocalSessionState(true);
        } catch (SQLException e) {
            throw new IllegalArgumentException("invalid MySQL driver setting: " + e.getMessage(), e);
        }
        HikariConfig config = new HikariConfig();
        config.setDataSource(mysql);
        config.setPoolName("openwebapps-mysql");
        config.setMaximumPoolSize(maxConnections);
        config.setConnectionTimeout(connectTimeoutMs);
        config.setValidationTimeout(Math.min(1000, connectTimeoutMs));
        config.setInitializationFailTimeout(-1); // start without the server; connect on demand
        // READ COMMITTED: no gap locks, so two first writers of a (bucket, user) do not deadlock
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        return new HikariDataSource(config);
    }

    private static HikariDataSource pool(MysqlStorageConfiguration config) {
        if (!config.url().startsWith("jdbc:mysql:")) {
            throw new IllegalArgumentException("url must start with jdbc:mysql:, got " + redacted(config.url()));
        }
        if (config.max_connections() < 1) {
            throw new IllegalArgumentException("max.connections must be at least 1");
        }
        if (config.connect_timeout_ms() < 250) {
            throw new IllegalArgumentException("connect.timeout.ms must be at least 250");
        }
        if (config.socket_timeout_ms() < 1) {
            throw new IllegalArgumentException("socket.timeout.ms must be at least 1");
        }
        return pool(config.url(), config.user(), config._password(), config.max_connections(),
                config.connect_timeout_ms(), config.socket_timeout_ms());
    }

    private static StorageLimits limits(MysqlStorageConfiguration config) {
        if (config.max_value_bytes() < 1) {
            throw new IllegalArgumentException("max.value.bytes must be at least 1");
        }
        return StorageLimits.defaults().withMaxValueBytes(config.max_value_bytes());
    }

    /** The URL without its query string, which may carry credentials. */
    private static String redacted(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?...";
    }
}
