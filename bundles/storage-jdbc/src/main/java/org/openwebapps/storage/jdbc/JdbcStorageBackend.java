package org.openwebapps.storage.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import javax.sql.DataSource;

import org.openwebapps.health.HealthResult;
import org.openwebapps.storage.ChangePage;
import org.openwebapps.storage.KeyRange;
import org.openwebapps.storage.Mutation;
import org.openwebapps.storage.StorageBackend;
import org.openwebapps.storage.StorageException;
import org.openwebapps.storage.StorageLimits;
import org.openwebapps.storage.StorageUnavailableException;
import org.openwebapps.storage.StoredRecord;
import org.openwebapps.storage.Timestamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link StorageBackend} over a JDBC {@link DataSource}.
 *
 * <p>A write locks the (bucket, user) row of {@code owa_heads} ({@code SELECT ... FOR UPDATE}),
 * reads the current records of its keys, checks the conditions, stamps
 * {@link Timestamps#next} after the head's last timestamp and writes records and head in one
 * transaction. Every writer of a (bucket, user) takes that lock first, so conditions and
 * timestamps are decided under it; readers never lock.
 */
public class JdbcStorageBackend implements StorageBackend {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcStorageBackend.class);
    /** A transaction that lost a race for the first head row or a deadlock is retried. */
    private static final int ATTEMPTS = 10;

    private final String name;
    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final Clock clock;
    private final StorageLimits limits;
    /** Set once the schema is migrated; until then every call tries (the database may be down at start). */
    private volatile boolean schemaReady;

    /**
     * @param name       the backend's name ({@value StorageBackend#NAME_PROPERTY})
     * @param dataSource a pooled source of connections; timeouts bound every call
     * @param dialect    the database's DDL
     * @param clock      the clock that stamps writes
     * @param limits     the limits to enforce
     */
    public JdbcStorageBackend(String name, DataSource dataSource, SqlDialect dialect, Clock clock,
            StorageLimits limits) {
        this.name = Objects.requireNonNull(name, "name");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Brings the schema to the newest version of the dialect, if not done yet. Called before
     * every operation, so a backend started while its database was down migrates when it returns.
     *
     * @throws StorageUnavailableException the database cannot be reached or refuses the DDL
     */
    public void migrate() throws StorageUnavailableException {
        if (!schemaReady) {
            synchronized (this) {
                if (!schemaReady) {
                    migrate(dataSource, dialect);
                    schemaReady = true;
                }
            }
        }
    }

    private static void migrate(DataSource dataSource, SqlDialect dialect) throws StorageUnavailableException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute("CREATE TABLE IF NOT EXISTS owa_schema (version INT NOT NULL)");
            int version = 0;
            try (ResultSet rs = statement.executeQuery("SELECT MAX(version) FROM owa_schema")) {
                if (rs.next()) {
                    version = rs.getInt(1);
                }
            }
            List<List<String>> migrations = dialect.migrations();
            for (int v = version; v < migrations.size(); v++) {
                for (String ddl : migrations.get(v)) {
                    statement.execute(ddl);
                }
                statement.executeUpdate("INSERT INTO owa_schema (version) VALUES (" + (v + 1) + ")");
                LOG.info("Storage schema migrated to version {}", v + 1);
            }
        } catch (SQLException e) {
            throw unavailable("migrating the schema", e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<StoredRecord> get(String bucket, String user, String key) throws StorageException {
        limits.checkNames(bucket, user);
        limits.checkKey(key);
        migrate();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT record_key, record_value, ts, deleted FROM owa_records"
                                + " WHERE bucket = ? AND user_id = ? AND record_key = ?")) {
            bind(select, bucket, user);
            select.setBytes(3, key.getBytes(UTF_8));
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(record(rs)).filter(r -> !r.deleted()) : Optional.empty();
            }
        } catch (SQLException e) {
            throw unavailable("reading", e);
        }
    }

    @Override
    public long write(String bucket, String user, List<Mutation> mutations) throws StorageException {
        limits.checkNames(bucket, user);
        limits.checkMutations(mutations);
        migrate();
        SQLException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    long timestamp = writeLocked(connection, bucket, user, mutations);
                    connection.commit();
                    return timestamp;
                } catch (StorageException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                } catch (SQLException e) {
                    connection.rollback();
                    if (!retryable(e)) {
                        throw e;
                    }
                    last = e;
                }
            } catch (SQLException e) {
                throw unavailable("writing", e);
            }
        }
        throw unavailable("writing (retries exhausted)", last);
    }

    private long writeLocked(Connection connection, String bucket, String user, List<Mutation> mutations)
            throws SQLException, StorageException {
        long lastTimestamp = lockHead(connection, bucket, user);
        Map<String, StoredRecord> current = currentRecords(connection, bucket, user, mutations);
        for (Mutation mutation : mutations) {
            mutation.checkAgainst(current.get(mutation.key()));
        }
        long timestamp = Timestamps.next(lastTimestamp, clock.millis());
        try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE owa_records SET record_value = ?, ts = ?, deleted = ?"
                                + " WHERE bucket = ? AND user_id = ? AND record_key = ?");
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO owa_records (bucket, user_id, record_key, record_value, ts, deleted)"
                                + " VALUES (?, ?, ?, ?, ?, ?)")) {
            boolean updates = false;
            boolean inserts = false;
            for (Mutation mutation : mutations) {
                byte[] key = mutation.key().getBytes(UTF_8);
                if (current.containsKey(mutation.key())) {
                    update.setBytes(1, mutation.value());
                    update.setLong(2, timestamp);
                    update.setBoolean(3, mutation.isDelete());
                    update.setBytes(4, bucket.getBytes(UTF_8));
                    update.setBytes(5, user.getBytes(UTF_8));
                    update.setBytes(6, key);
                    update.addBatch();
                    updates = true;
                } else {
                    bind(insert, bucket, user);
                    insert.setBytes(3, key);
                    insert.setBytes(4, mutation.value());
                    insert.setLong(5, timestamp);
                    insert.setBoolean(6, false);
                    insert.addBatch();
                    inserts = true;
                }
            }
            if (updates) {
                update.executeBatch();
            }
            if (inserts) {
                insert.executeBatch();
            }
        }
        try (PreparedStatement head = connection.prepareStatement(
                "UPDATE owa_heads SET last_ts = ? WHERE bucket = ? AND user_id = ?")) {
            head.setLong(1, timestamp);
            head.setBytes(2, bucket.getBytes(UTF_8));
            head.setBytes(3, user.getBytes(UTF_8));
            head.executeUpdate();
        }
        return timestamp;
    }

    /** Locks the (bucket, user) head row, creating it on the first write; returns its last timestamp. */
    private static long lockHead(Connection connection, String bucket, String user) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT last_ts FROM owa_heads WHERE bucket = ? AND user_id = ? FOR UPDATE")) {
            bind(select, bucket, user);
            try (ResultSet rs = select.executeQuery()) {
                if (rs.next()) {
                    return rs.getLong(1);
                }
            }
        }
        // First write: a concurrent first writer makes this fail with a duplicate key, and the
        // transaction is retried, then finding the row.
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO owa_heads (bucket, user_id, last_ts) VALUES (?, ?, 0)")) {
            bind(insert, bucket, user);
            insert.executeUpdate();
        }
        return 0;
    }

    private static Map<String, StoredRecord> currentRecords(Connection connection, String bucket, String user,
            List<Mutation> mutations) throws SQLException {
        StringBuilder sql = new StringBuilder(
                "SELECT record_key, record_value, ts, deleted FROM owa_records WHERE bucket = ? AND user_id = ? AND record_key IN (");
        for (int i = 0; i < mutations.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        sql.append(')');
        Map<String, StoredRecord> current = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            bind(select, bucket, user);
            for (int i = 0; i < mutations.size(); i++) {
                select.setBytes(3 + i, mutations.get(i).key().getBytes(UTF_8));
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    StoredRecord record = record(rs);
                    current.put(record.key(), record);
                }
            }
        }
        return current;
    }

    @Override
    public List<String> listKeys(String bucket, String user, KeyRange range) throws StorageException {
        limits.checkNames(bucket, user);
        limits.checkLimit(range.limit());
        migrate();
        byte[] lower = max(range.prefix().getBytes(UTF_8), range.start() == null ? null : range.start().getBytes(UTF_8));
        byte[] upper = min(prefixEnd(range.prefix().getBytes(UTF_8)), range.end() == null ? null : range.end().getBytes(UTF_8));
        StringBuilder sql = new StringBuilder(
                "SELECT record_key FROM owa_records WHERE bucket = ? AND user_id = ? AND deleted = FALSE AND record_key >= ?");
        if (upper != null) {
            sql.append(" AND record_key < ?");
        }
        sql.append(" ORDER BY record_key LIMIT ?");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql.toString())) {
            bind(select, bucket, user);
            int index = 3;
            select.setBytes(index++, lower);
            if (upper != null) {
                select.setBytes(index++, upper);
            }
            select.setInt(index, range.limit());
            List<String> keys = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    keys.add(new String(rs.getBytes(1), UTF_8));
                }
            }
            return keys;
        } catch (SQLException e) {
            throw unavailable("listing keys", e);
        }
    }

    @Override
    public ChangePage changesSince(String bucket, String user, long after, int limit) throws StorageException {
        limits.checkNames(bucket, user);
        limits.checkLimit(limit);
        migrate();
        String columns = "SELECT record_key, record_value, ts, deleted FROM owa_records WHERE bucket = ? AND user_id = ?";
        try (Connection connection = dataSource.getConnection()) {
            List<StoredRecord> rows = query(connection,
                    columns + " AND ts > ? ORDER BY ts, record_key LIMIT ?", bucket, user, after, limit + 1);
            if (rows.size() > limit && rows.get(0).timestamp() == rows.get(limit).timestamp()) {
                // the first timestamp group is larger than a page: it is returned whole
                long group = rows.get(0).timestamp();
                rows = query(connection, columns + " AND ts = ? ORDER BY record_key LIMIT ?", bucket, user, group,
                        limits.maxBatchSize() + 1);
                rows.addAll(query(connection, columns + " AND ts > ? ORDER BY ts, record_key LIMIT ?", bucket, user,
                        group, 1));
            }
            return ChangePage.cut(rows, limit);
        } catch (SQLException e) {
            throw unavailable("listing changes", e);
        }
    }

    private static List<StoredRecord> query(Connection connection, String sql, String bucket, String user, long ts,
            int limit) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            bind(select, bucket, user);
            select.setLong(3, ts);
            select.setInt(4, limit);
            List<StoredRecord> records = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    records.add(record(rs));
                }
            }
            return records;
        }
    }

    @Override
    public HealthResult health() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2) ? HealthResult.ok() : HealthResult.failed("database connection not valid");
        } catch (SQLException | RuntimeException e) {
            return HealthResult.failed("database unreachable");
        }
    }

    // --- helpers --------------------------------------------------------------------------------

    private static void bind(PreparedStatement statement, String bucket, String user) throws SQLException {
        statement.setBytes(1, bucket.getBytes(UTF_8));
        statement.setBytes(2, user.getBytes(UTF_8));
    }

    private static StoredRecord record(ResultSet rs) throws SQLException {
        String key = new String(rs.getBytes(1), UTF_8);
        long ts = rs.getLong(3);
        return rs.getBoolean(4) ? StoredRecord.tombstone(key, ts) : StoredRecord.live(key, rs.getBytes(2), ts);
    }

    /** Lost a race for a new head row (integrity violation) or a deadlock/serialization failure. */
    private static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("23") || state.startsWith("40"));
    }

    private static StorageUnavailableException unavailable(String doing, SQLException e) {
        // The message names the operation and the SQL state only: never values or keys.
        return new StorageUnavailableException("database failed while " + doing
                + (e == null ? "" : " (SQL state " + e.getSQLState() + ")"), e);
    }

    /** The smallest byte string greater than every string starting with {@code prefix}, or null. */
    private static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return null;
    }

    private static byte[] max(byte[] a, byte[] b) {
        return b == null || Arrays.compareUnsigned(a, b) >= 0 ? a : b;
    }

    private static byte[] min(byte[] a, byte[] b) {
        if (a == null) {
            return b;
        }
        return b == null || Arrays.compareUnsigned(a, b) <= 0 ? a : b;
    }
}
