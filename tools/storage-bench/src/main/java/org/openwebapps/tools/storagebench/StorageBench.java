package org.openwebapps.tools.storagebench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.openwebapps.storage.Condition;
import org.openwebapps.storage.Mutation;
import org.openwebapps.storage.StorageBackend;
import org.openwebapps.storage.StorageLimits;
import org.openwebapps.storage.StoredRecord;
import org.openwebapps.storage.embedded.internal.EmbeddedStorage;
import org.openwebapps.storage.embedded.internal.H2Dialect;
import org.openwebapps.storage.jdbc.JdbcStorageBackend;
import org.openwebapps.storage.mysql.internal.MysqlDialect;
import org.openwebapps.storage.mysql.internal.MysqlStorage;

/**
 * Throughput of each storage operation through our backend and through the raw driver doing the
 * same thing on the same database, with 1 and 8 threads. Usage:
 * {@code StorageBench embedded|mysql [seconds per run] [mysql url]}.
 *
 * <p>"Raw" is the least the database must do for the operation: a primary-key select, a single
 * upsert, an {@code UPDATE ... WHERE ts = ?} for the conditional put, one 20-row upsert, an
 * indexed range select of 100 rows. Our layer adds the per-(bucket, user) lock, the condition
 * check and the head timestamp that give strictly increasing stamps and atomic conditions; the
 * line "put, same work by hand" compares with plain JDBC doing that same work.
 */
public final class StorageBench {

    private StorageBench() {
    }

    private static final String BUCKET = "https://bench.example";
    static final byte[] VALUE = "{\"origin\":\"https://app.example\",\"name\":\"An app\",\"installed\":1323880300}"
            .getBytes(UTF_8);

    interface Op {
        void run(int thread, long i) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "embedded";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        DataSource dataSource;
        StorageBackend backend;
        boolean mysql = which.equals("mysql");
        if (mysql) {
            String url = args.length > 2 ? args[2] : "jdbc:mysql://127.0.0.1:3306/owa_bench";
            dataSource = MysqlStorage.pool(url, "root", "", 16, 2000, 10000);
            backend = new JdbcStorageBackend("mysql", dataSource, new MysqlDialect(), Clock.systemUTC(),
                    StorageLimits.defaults());
        } else {
            Path dir = Files.createTempDirectory("owa-bench");
            dataSource = EmbeddedStorage.open(dir, 16);
            backend = new JdbcStorageBackend("embedded", dataSource, new H2Dialect(), Clock.systemUTC(),
                    StorageLimits.defaults());
        }
        backend.get(BUCKET, "setup@example.com", "k"); // migrates
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS raw_records");
            s.execute("CREATE TABLE raw_records (bucket VARBINARY(255) NOT NULL, user_id VARBINARY(255) NOT NULL,"
                    + " record_key VARBINARY(256) NOT NULL, record_value " + (mysql ? "LONGBLOB" : "VARBINARY")
                    + ", ts BIGINT NOT NULL, PRIMARY KEY (bucket, user_id, record_key))");
            s.execute("CREATE INDEX raw_by_ts ON raw_records (bucket, user_id, ts)");
            s.execute("DROP TABLE IF EXISTS raw_heads");
            s.execute("CREATE TABLE raw_heads (bucket VARBINARY(255) NOT NULL, user_id VARBINARY(255) NOT NULL,"
                    + " last_ts BIGINT NOT NULL, PRIMARY KEY (bucket, user_id))");
        }
        String upsert = mysql
                ? "INSERT INTO raw_records (bucket, user_id, record_key, record_value, ts) VALUES (?, ?, ?, ?, ?)"
                        + " ON DUPLICATE KEY UPDATE record_value = VALUES(record_value), ts = VALUES(ts)"
                : "MERGE INTO raw_records (bucket, user_id, record_key, record_value, ts) KEY (bucket, user_id, record_key)"
                        + " VALUES (?, ?, ?, ?, ?)";

        // data for reads: per thread user, 1000 keys, written in batches of 20 (so listings see groups)
        for (int t = 0; t < 8; t++) {
            for (int b = 0; b < 50; b++) {
                List<Mutation> batch = new ArrayList<>();
                for (int k = 0; k < 20; k++) {
                    batch.add(Mutation.put("key" + (b * 20 + k), VALUE));
                }
                backend.write(BUCKET, user(t), batch);
            }
            try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(upsert)) {
                c.setAutoCommit(false);
                for (int k = 0; k < 1000; k++) {
                    bindUpsert(p, user(t), "key" + k, k * 10L);
                    p.addBatch();
                }
                p.executeBatch();
                c.commit();
            }
        }
        final StorageBackend storage = backend;
        final DataSource raw = dataSource;
        final String rawUpsert = upsert;
        String rows = String.join(", ", Collections.nCopies(20, "(?, ?, ?, ?, ?)"));
        final String rawBatch = mysql
                ? "INSERT INTO raw_records (bucket, user_id, record_key, record_value, ts) VALUES " + rows
                        + " ON DUPLICATE KEY UPDATE record_value = VALUES(record_value), ts = VALUES(ts)"
                : "MERGE INTO raw_records (bucket, user_id, record_key, record_value, ts) KEY (bucket, user_id, record_key)"
                        + " VALUES " + rows;
        System.out.printf(Locale.ROOT, "%s backend, %d s per run; ops/s (ours / raw driver = ratio)%n", which, seconds);
        System.out.printf(Locale.ROOT, "%-26s %8s %26s %26s%n", "operation", "", "1 thread", "8 threads");

        report("get", seconds,
                (t, i) -> storage.get(BUCKET, user(t), "key" + (i % 1000)).orElseThrow(),
                (t, i) -> {
                    try (Connection c = raw.getConnection(); PreparedStatement p = c.prepareStatement(
                            "SELECT record_value, ts FROM raw_records WHERE bucket = ? AND user_id = ? AND record_key = ?")) {
                        bindKey(p, user(t), "key" + (i % 1000));
                        try (ResultSet rs = p.executeQuery()) {
                            rs.next();
                        }
                    }
                });
        report("put", seconds,
                (t, i) -> storage.put(BUCKET, user(t), "put" + (i % 100), VALUE, Condition.any()),
                (t, i) -> {
                    try (Connection c = raw.getConnection(); PreparedStatement p = c.prepareStatement(rawUpsert)) {
                        bindUpsert(p, user(t), "put" + (i % 100), i);
                        p.executeUpdate();
                    }
                });
        // The same put by hand with our guarantee (a strictly increasing timestamp per user):
        // lock the user's head row, stamp, write record and head, commit.
        report("put, same work by hand", seconds,
                (t, i) -> storage.put(BUCKET, user(t), "put" + (i % 100), VALUE, Condition.any()),
                (t, i) -> {
                    try (Connection c = raw.getConnection()) {
                        c.setAutoCommit(false);
                        long last = 0;
                        boolean exists = false;
                        try (PreparedStatement p = c.prepareStatement(
                                "SELECT last_ts FROM raw_heads WHERE bucket = ? AND user_id = ? FOR UPDATE")) {
                            p.setBytes(1, BUCKET.getBytes(UTF_8));
                            p.setBytes(2, user(t).getBytes(UTF_8));
                            try (ResultSet rs = p.executeQuery()) {
                                if (rs.next()) {
                                    last = rs.getLong(1);
                                    exists = true;
                                }
                            }
                        }
                        long ts = Math.max(System.currentTimeMillis() / 10 * 10, last + 10);
                        try (PreparedStatement p = c.prepareStatement(rawUpsert)) {
                            bindUpsert(p, user(t), "put" + (i % 100), ts);
                            p.executeUpdate();
                        }
                        try (PreparedStatement p = c.prepareStatement(exists
                                ? "UPDATE raw_heads SET last_ts = ? WHERE bucket = ? AND user_id = ?"
                                : "INSERT INTO raw_heads (last_ts, bucket, user_id) VALUES (?, ?, ?)")) {
                            p.setLong(1, ts);
                            p.setBytes(2, BUCKET.getBytes(UTF_8));
                            p.setBytes(3, user(t).getBytes(UTF_8));
                            p.executeUpdate();
                        }
                        c.commit();
                        c.setAutoCommit(true);
                    }
                });
        report("conditional put (If-Match)", seconds,
                (t, i) -> {
                    StoredRecord current = storage.get(BUCKET, user(t), "cond").orElse(null);
                    storage.put(BUCKET, user(t), "cond", VALUE,
                            current == null ? Condition.absent() : Condition.match(current.etag()));
                },
                (t, i) -> {
                    try (Connection c = raw.getConnection()) {
                        long ts = -1;
                        try (PreparedStatement p = c.prepareStatement(
                                "SELECT ts FROM raw_records WHERE bucket = ? AND user_id = ? AND record_key = ?")) {
                            bindKey(p, user(t), "cond");
                            try (ResultSet rs = p.executeQuery()) {
                                if (rs.next()) {
                                    ts = rs.getLong(1);
                                }
                            }
                        }
                        if (ts < 0) {
                            try (PreparedStatement p = c.prepareStatement(rawUpsert)) {
                                bindUpsert(p, user(t), "cond", 1);
                                p.executeUpdate();
                            }
                        } else {
                            try (PreparedStatement p = c.prepareStatement("UPDATE raw_records SET record_value = ?,"
                                    + " ts = ? WHERE bucket = ? AND user_id = ? AND record_key = ? AND ts = ?")) {
                                p.setBytes(1, VALUE);
                                p.setLong(2, ts + 1);
                                p.setBytes(3, BUCKET.getBytes(UTF_8));
                                p.setBytes(4, user(t).getBytes(UTF_8));
                                p.setBytes(5, "cond".getBytes(UTF_8));
                                p.setLong(6, ts);
                                p.executeUpdate();
                            }
                        }
                    }
                });
        report("atomic batch of 20", seconds,
                (t, i) -> {
                    List<Mutation> batch = new ArrayList<>(20);
                    for (int k = 0; k < 20; k++) {
                        batch.add(Mutation.put("batch" + k, VALUE));
                    }
                    storage.write(BUCKET, user(t), batch);
                },
                (t, i) -> {
                    // one multi-row statement in autocommit: atomic, one round trip
                    try (Connection c = raw.getConnection(); PreparedStatement p = c.prepareStatement(rawBatch)) {
                        for (int k = 0; k < 20; k++) {
                            p.setBytes(5 * k + 1, BUCKET.getBytes(UTF_8));
                            p.setBytes(5 * k + 2, user(t).getBytes(UTF_8));
                            p.setBytes(5 * k + 3, ("batch" + k).getBytes(UTF_8));
                            p.setBytes(5 * k + 4, VALUE);
                            p.setLong(5 * k + 5, i);
                        }
                        p.executeUpdate();
                    }
                });
        report("changes since, 100", seconds,
                (t, i) -> storage.changesSince(BUCKET, user(t), 0, 100),
                (t, i) -> {
                    try (Connection c = raw.getConnection(); PreparedStatement p = c.prepareStatement(
                            "SELECT record_key, record_value, ts FROM raw_records WHERE bucket = ? AND user_id = ?"
                                    + " AND ts > ? ORDER BY ts, record_key LIMIT 101")) {
                        p.setBytes(1, BUCKET.getBytes(UTF_8));
                        p.setBytes(2, user(t).getBytes(UTF_8));
                        p.setLong(3, 0);
                        // what a caller needs of each row: the key as text, the value, the timestamp
                        List<Object[]> page = new ArrayList<>(101);
                        try (ResultSet rs = p.executeQuery()) {
                            while (rs.next()) {
                                page.add(new Object[] {new String(rs.getBytes(1), UTF_8), rs.getBytes(2), rs.getLong(3)});
                            }
                        }
                    }
                });
        if (dataSource instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    static void report(String name, int seconds, Op ours, Op raw) throws Exception {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-26s %8s", name, ""));
        for (int threads : new int[] {1, 8}) {
            run(ours, threads, 1); // warm-up
            run(raw, threads, 1);
            double o = run(ours, threads, seconds);
            double r = run(raw, threads, seconds);
            line.append(String.format(Locale.ROOT, " %9.0f / %8.0f = %3.0f%%", o, r, 100 * o / r));
        }
        System.out.println(line);
    }

    /** Runs {@code op} in {@code threads} threads for {@code seconds}; returns operations per second. */
    private static double run(Op op, int threads, int seconds) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong done = new AtomicLong();
        List<Throwable> failures = new ArrayList<>();
        CountDownLatch finished = new CountDownLatch(threads);
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            new Thread(() -> {
                long i = 0;
                try {
                    while (running.get()) {
                        op.run(thread, i++);
                        done.incrementAndGet();
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                } finally {
                    finished.countDown();
                }
            }).start();
        }
        Thread.sleep(seconds * 1000L);
        running.set(false);
        finished.await();
        if (!failures.isEmpty()) {
            throw new IllegalStateException("benchmark operation failed", failures.get(0));
        }
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    static String user(int thread) {
        return "bench-" + thread + "@example.com";
    }

    private static void bindKey(PreparedStatement p, String user, String key) throws SQLException {
        p.setBytes(1, BUCKET.getBytes(UTF_8));
        p.setBytes(2, user.getBytes(UTF_8));
        p.setBytes(3, key.getBytes(UTF_8));
    }

    private static void bindUpsert(PreparedStatement p, String user, String key, long ts) throws SQLException {
        bindKey(p, user, key);
        p.setBytes(4, VALUE);
        p.setLong(5, ts);
    }
}
