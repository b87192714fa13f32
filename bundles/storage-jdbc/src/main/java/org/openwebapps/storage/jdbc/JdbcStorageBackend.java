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
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import org.openwebapps.health.HealthResult;
import org.openwebapps.storage.ChangePage;
import org.openwebapps.storage.Condition;
import org.openwebapps.storage.KeyRange;
import org.openwebapps.storage.Mutation;
import org.openwebapps.storage.Owner;
import org.openwebapps.storage.OwnerLocks;
import org.openwebapps.storage.RecordAndChanges;
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
 * reads the current records its deletes and conditions look at, checks them, stamps
 * {@link Timestamps#next} after the head's last timestamp and writes head and records in one
 * transaction. Every writer of a (bucket, user) takes that lock first, so conditions and
 * timestamps are decided under it; readers never lock. Unconditional puts skip the read, and a
 * dialect may send them as one script that stamps in SQL under the same lock. When the dialect
 * asks for it ({@link SqlDialect#ordersWritesInProcess}), writes of one (bucket, user) also queue
 * on a lock in this JVM first, so the database's row lock is never contended.
 */
public class JdbcStorageBackend implements StorageBackend {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcStorageBackend.class);
    /** A transaction that lost a race for the first head row or a deadlock is retried. */
    private static final int ATTEMPTS = 10;
    private static final int OWNER_LOCKS = 256;
    /** A record's columns, as {@link #record} reads them, for one (bucket, user). */
    private static final String COLUMNS =
            "SELECT record_key, record_value, ts, deleted FROM owa_records WHERE bucket = ? AND user_id = ?";

    private final String name;
    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final Clock clock;
    private final StorageLimits limits;
    /** Per-owner write order in this JVM, or null when the database's row lock is enough. */
    private final OwnerLocks ownerLocks;
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
        this.ownerLocks = dialect.ordersWritesInProcess() ? new OwnerLocks(OWNER_LOCKS) : null;
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

    /** @return whether the database has been reached and its schema migrated */
    protected final boolean schemaReady() {
        return schemaReady;
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
        boolean blind = mutations.stream().noneMatch(JdbcStorageBackend::readsCurrent);
        Optional<String> oneTrip = blind ? dialect.blindWriteScript(mutations.size()) : Optional.empty();
        if (oneTrip.isPresent()) {
            return inOwnerTransaction(bucket, user, "writing", true, (connection, scripted) ->
                    writeBlind(connection, oneTrip.get(), bucket, user, mutations));
        }
        return inOwnerTransaction(bucket, user, "writing", dialect.multiStatements(), (connection, scripted) ->
                writeLocked(connection, scripted, bucket, user, mutations));
    }

    /** A delete must find its record (404 otherwise); a condition must see it. */
    private static boolean readsCurrent(Mutation mutation) {
        return mutation.isDelete() || mutation.condition().kind() != Condition.Kind.ANY;
    }

    /** Unconditional puts as one script that stamps the timestamp in SQL (see the dialect). */
    private long writeBlind(Connection connection, String script, String bucket, String user,
            List<Mutation> mutations) throws SQLException {
        List<Object> params = new ArrayList<>(3 + 4 * mutations.size());
        params.addAll(List.of(utf8(bucket), utf8(user), Timestamps.truncate(clock.millis())));
        for (Mutation mutation : mutations) {
            params.addAll(List.of(utf8(bucket), utf8(user), utf8(mutation.key()), mutation.value()));
        }
        long[] timestamp = {-1};
        new Script(true).add(script, rs -> {
            rs.next();
            timestamp[0] = rs.getLong(1);
        }, params.toArray()).run(connection);
        return timestamp[0];
    }

    /**
     * The general write in two steps: lock the head and read the records the mutations look at,
     * check, stamp, then write head and records and commit. With a multi-statement dialect each
     * step is one round trip.
     */
    private long writeLocked(Connection connection, boolean scripted, String bucket, String user,
            List<Mutation> mutations) throws SQLException, StorageException {
        List<String> read = mutations.stream().filter(JdbcStorageBackend::readsCurrent).map(Mutation::key).toList();
        Locked locked = lock(connection, scripted, bucket, user, read);
        for (Mutation mutation : mutations) {
            mutation.checkAgainst(locked.current().get(mutation.key()));
        }
        long timestamp = Timestamps.next(Math.max(locked.lastTimestamp(), 0), clock.millis());
        List<StoredRecord> rows = new ArrayList<>(mutations.size());
        for (Mutation mutation : mutations) {
            rows.add(mutation.isDelete() ? StoredRecord.tombstone(mutation.key(), timestamp)
                    : StoredRecord.live(mutation.key(), mutation.value(), timestamp));
        }
        apply(connection, scripted, bucket, user, locked, timestamp, rows);
        return timestamp;
    }

    @Override
    public void replicate(String bucket, String user, List<StoredRecord> records) throws StorageException {
        limits.checkNames(bucket, user);
        limits.checkRecords(records);
        migrate();
        if (records.isEmpty()) {
            return;
        }
        inOwnerTransaction(bucket, user, "replicating", dialect.multiStatements(), (connection, scripted) -> {
            Locked locked = lock(connection, scripted, bucket, user, records.stream().map(StoredRecord::key).toList());
            List<StoredRecord> newer = records.stream().filter(record -> {
                StoredRecord stored = locked.current().get(record.key());
                return stored == null || stored.timestamp() < record.timestamp();
            }).toList();
            long newest = records.stream().mapToLong(StoredRecord::timestamp).max().orElse(0);
            apply(connection, scripted, bucket, user, locked, Math.max(locked.lastTimestamp(), newest), newer);
            return null;
        });
    }

    /** Work inside one transaction, begun by JDBC or (scripted) by the work's own SQL. */
    @FunctionalInterface
    private interface Transaction<T> {
        T run(Connection connection, boolean scripted) throws SQLException, StorageException;
    }

    /** A write transaction of one (bucket, user): after its earlier writes in this JVM, if the dialect asks. */
    private <T> T inOwnerTransaction(String bucket, String user, String doing, boolean scripted, Transaction<T> work)
            throws StorageException {
        if (ownerLocks == null) {
            return inTransaction(doing, scripted, work);
        }
        ReentrantLock lock = ownerLocks.of(new Owner(bucket, user));
        lock.lock();
        try {
            return inTransaction(doing, scripted, work);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs a transaction on a pooled connection, rolled back on any failure, and again (up to
     * {@value #ATTEMPTS} times) when it lost a race for a new head row or a deadlock.
     *
     * @param scripted whether the work starts and commits its transaction in SQL (multi-statement
     *                 scripts); otherwise JDBC autocommit is switched off for it
     */
    private <T> T inTransaction(String doing, boolean scripted, Transaction<T> work) throws StorageException {
        SQLException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                if (!scripted) {
                    connection.setAutoCommit(false);
                }
                try {
                    return work.run(connection, scripted);
                } catch (SQLException | StorageException | RuntimeException e) {
                    rollback(connection, scripted, e);
                    throw e;
                }
            } catch (SQLException e) {
                if (!retryable(e)) {
                    throw unavailable(doing, e);
                }
                last = e;
            }
        }
        throw unavailable(doing + " (retries exhausted)", last);
    }

    /** The head's last timestamp (-1: no head row yet) and the stored records of the keys read. */
    private record Locked(long lastTimestamp, Map<String, StoredRecord> current) {
    }

    /** Locks the (bucket, user) head row and reads the stored records of {@code keys}. */
    private static Locked lock(Connection connection, boolean scripted, String bucket, String user, List<String> keys)
            throws SQLException {
        long[] lastTimestamp = {-1};
        Map<String, StoredRecord> current = new HashMap<>();
        Script lock = new Script(scripted);
        if (scripted) {
            lock.add("START TRANSACTION", null);
        }
        lock.add("SELECT last_ts FROM owa_heads WHERE bucket = ? AND user_id = ? FOR UPDATE", rs -> {
            if (rs.next()) {
                lastTimestamp[0] = rs.getLong(1);
            }
        }, utf8(bucket), utf8(user));
        if (!keys.isEmpty()) {
            lock.add(selectRecords(keys.size()), rs -> {
                while (rs.next()) {
                    StoredRecord record = record(rs);
                    current.put(record.key(), record);
                }
            }, recordKeys(bucket, user, keys));
        }
        lock.run(connection);
        return new Locked(lastTimestamp[0], current);
    }

    /**
     * Writes the head (created on the first write; the loser of a race for it fails here, before
     * anything else, and is retried) and the records with their own timestamps, and commits.
     */
    private void apply(Connection connection, boolean scripted, String bucket, String user, Locked locked, long head,
            List<StoredRecord> rows) throws SQLException {
        Script apply = new Script(scripted);
        if (locked.lastTimestamp() < 0) {
            apply.add("INSERT INTO owa_heads (bucket, user_id, last_ts) VALUES (?, ?, ?)", null,
                    utf8(bucket), utf8(user), head);
        } else if (head != locked.lastTimestamp()) {
            apply.add("UPDATE owa_heads SET last_ts = ? WHERE bucket = ? AND user_id = ?", null,
                    head, utf8(bucket), utf8(user));
        }
        if (!rows.isEmpty()) {
            List<Object> params = new ArrayList<>(6 * rows.size());
            for (StoredRecord row : rows) {
                params.addAll(Arrays.asList(utf8(bucket), utf8(user), utf8(row.key()), row.deleted() ? null : row.value(),
                        row.timestamp(), row.deleted()));
            }
            apply.add(dialect.upsertRecords(rows.size()), null, params.toArray());
        }
        if (scripted) {
            apply.add("COMMIT", null);
        }
        apply.run(connection);
        if (!scripted) {
            connection.commit();
        }
    }

    /** Row-value IN: H2 and InnoDB look each key up in the primary key (a plain IN scans H2's whole user range). */
    private static String selectRecords(int keys) {
        return "SELECT record_key, record_value, ts, deleted FROM owa_records WHERE (bucket, user_id, record_key) IN ("
                + String.join(", ", Collections.nCopies(keys, "(?, ?, ?)")) + ")";
    }

    private static Object[] recordKeys(String bucket, String user, List<String> keys) {
        List<Object> params = new ArrayList<>(3 * keys.size());
        for (String key : keys) {
            params.addAll(List.of(utf8(bucket), utf8(user), utf8(key)));
        }
        return params.toArray();
    }

    /**
     * Ends a failed transaction. A script's transaction is unknown to the driver, so it is rolled
     * back by SQL before the connection returns to the pool; if even that fails, the connection
     * is broken and the pool discards it.
     */
    private static void rollback(Connection connection, boolean scripted, Exception cause) {
        try {
            if (scripted) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("ROLLBACK");
                }
            } else {
                connection.rollback();
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
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
        try (Connection connection = dataSource.getConnection()) {
            return changePage(connection, bucket, user,
                    query(connection, COLUMNS + " AND ts > ? ORDER BY ts, record_key LIMIT ?", bucket, user, after, limit + 1),
                    limit);
        } catch (SQLException e) {
            throw unavailable("listing changes", e);
        }
    }

    /** One statement: the key's row and the first page of changes, told apart by a last column. */
    @Override
    public RecordAndChanges getWithChangesSince(String bucket, String user, String key, long after, int limit)
            throws StorageException {
        limits.checkNames(bucket, user);
        limits.checkKey(key);
        limits.checkLimit(limit);
        migrate();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT record_key, record_value, ts, deleted, 0 AS part FROM owa_records"
                                + " WHERE bucket = ? AND user_id = ? AND record_key = ?"
                                + " UNION ALL (SELECT record_key, record_value, ts, deleted, 1 FROM owa_records"
                                + " WHERE bucket = ? AND user_id = ? AND ts > ? ORDER BY ts, record_key LIMIT ?)"
                                + " ORDER BY 5, 3, 1")) {
            bind(select, bucket, user);
            select.setBytes(3, key.getBytes(UTF_8));
            select.setBytes(4, utf8(bucket));
            select.setBytes(5, utf8(user));
            select.setLong(6, after);
            select.setInt(7, limit + 1);
            Optional<StoredRecord> record = Optional.empty();
            List<StoredRecord> changes = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    if (rs.getInt(5) == 0) {
                        record = Optional.of(record(rs)).filter(r -> !r.deleted());
                    } else {
                        changes.add(record(rs));
                    }
                }
            }
            return new RecordAndChanges(record, changePage(connection, bucket, user, changes, limit));
        } catch (SQLException e) {
            throw unavailable("reading", e);
        }
    }

    /**
     * A page from the first {@code limit + 1} changes in order; when they all share the first
     * timestamp, that group is larger than a page and is read whole.
     */
    private ChangePage changePage(Connection connection, String bucket, String user, List<StoredRecord> first, int limit)
            throws SQLException {
        List<StoredRecord> rows = first;
        if (rows.size() > limit && rows.get(0).timestamp() == rows.get(limit).timestamp()) {
            long group = rows.get(0).timestamp();
            rows = query(connection, COLUMNS + " AND ts = ? ORDER BY record_key LIMIT ?", bucket, user, group,
                    limits.maxBatchSize() + 1);
            rows.addAll(query(connection, COLUMNS + " AND ts > ? ORDER BY ts, record_key LIMIT ?", bucket, user, group, 1));
        }
        return ChangePage.cut(rows, limit);
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
    public List<Owner> owners(Owner after, int limit) throws StorageException {
        limits.checkLimit(limit);
        migrate();
        // every owner that was ever written or replicated has a head
        String sql = "SELECT bucket, user_id FROM owa_heads"
                + (after == null ? "" : " WHERE bucket > ? OR (bucket = ? AND user_id > ?)")
                + " ORDER BY bucket, user_id LIMIT ?";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            int index = 1;
            if (after != null) {
                byte[] bucket = after.bucket().getBytes(UTF_8);
                select.setBytes(index++, bucket);
                select.setBytes(index++, bucket);
                select.setBytes(index++, after.user().getBytes(UTF_8));
            }
            select.setInt(index, limit);
            List<Owner> owners = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    owners.add(new Owner(new String(rs.getBytes(1), UTF_8), new String(rs.getBytes(2), UTF_8)));
                }
            }
            return owners;
        } catch (SQLException e) {
            throw unavailable("listing owners", e);
        }
    }

    @Override
    public HealthResult health() {
        // a query, not Connection.isValid: a pool evicts a connection whose query fails, while a
        // pooled connection broken by a network cut could answer isValid=false to every probe
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(2);
            statement.execute("SELECT 1");
            return HealthResult.ok();
        } catch (SQLException e) {
            return HealthResult.failed("database unreachable (SQL state " + e.getSQLState() + ")");
        } catch (RuntimeException e) {
            return HealthResult.failed("database unreachable");
        }
    }

    // --- helpers --------------------------------------------------------------------------------

    private static void bind(PreparedStatement statement, String bucket, String user) throws SQLException {
        statement.setBytes(1, utf8(bucket));
        statement.setBytes(2, utf8(user));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(UTF_8);
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
