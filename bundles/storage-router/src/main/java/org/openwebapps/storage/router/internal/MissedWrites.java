package org.openwebapps.storage.router.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.h2.jdbcx.JdbcDataSource;
import org.openwebapps.storage.Owner;
import org.openwebapps.storage.StorageUnavailableException;

/**
 * The journal of what a backend missed: for each (backend, owner) whose writes the backend did not
 * get, the timestamp after which the other backend holds writes it lacks. One entry covers every
 * later write of that owner, so a long outage costs one entry per user written, not one per
 * write, and the replay copies each owner's current records rather than every intermediate one.
 *
 * <p>Kept in an H2 file ({@code WRITE_DELAY=0}: on disk before a write is acknowledged, so a
 * killed server resumes the replay) and mirrored in memory, since routing asks on every request.
 * Callers change an owner's entries under that owner's lock; the methods here are thread safe.
 */
final class MissedWrites implements AutoCloseable {

    /** A backend lacks the writes of {@code owner} made after {@code since}. */
    record Entry(String backend, Owner owner, long since) {
    }

    private record Key(String backend, Owner owner) {
    }

    private final Connection connection; // one, guarded by this: entries change rarely
    private final Map<Key, Long> entries = new ConcurrentHashMap<>();

    private MissedWrites(Connection connection) {
        this.connection = connection;
    }

    static MissedWrites open(Path directory) throws StorageUnavailableException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + directory.resolve("missed-writes").toAbsolutePath() + ";WRITE_DELAY=0");
        h2.setUser("sa");
        h2.setPassword("");
        try {
            Connection connection = h2.getConnection();
            MissedWrites journal = new MissedWrites(connection);
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS missed (backend VARCHAR(64) NOT NULL,"
                        + " bucket VARCHAR(255) NOT NULL, user_id VARCHAR(255) NOT NULL, since BIGINT NOT NULL,"
                        + " PRIMARY KEY (backend, bucket, user_id))");
                try (ResultSet rs = statement.executeQuery("SELECT backend, bucket, user_id, since FROM missed")) {
                    while (rs.next()) {
                        journal.entries.put(new Key(rs.getString(1), new Owner(rs.getString(2), rs.getString(3))),
                                rs.getLong(4));
                    }
                }
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
            return journal;
        } catch (SQLException e) {
            throw new StorageUnavailableException("the journal of missed writes in " + directory + " cannot be opened: "
                    + e.getMessage(), e);
        }
    }

    boolean has(String backend, Owner owner) {
        return entries.containsKey(new Key(backend, owner));
    }

    /** Records that {@code backend} lacks the owner's writes after {@code since}, unless an entry already says so from earlier. */
    synchronized void add(String backend, Owner owner, long since) throws StorageUnavailableException {
        Key key = new Key(backend, owner);
        Long current = entries.get(key);
        if (current != null && current <= since) {
            return;
        }
        update(current == null
                ? "INSERT INTO missed (since, backend, bucket, user_id) VALUES (?, ?, ?, ?)"
                : "UPDATE missed SET since = ? WHERE backend = ? AND bucket = ? AND user_id = ?", since, key);
        entries.put(key, since);
    }

    /** Moves an entry's mark forward as the replay copies. */
    synchronized void advance(String backend, Owner owner, long since) throws StorageUnavailableException {
        Key key = new Key(backend, owner);
        if (entries.containsKey(key)) {
            update("UPDATE missed SET since = ? WHERE backend = ? AND bucket = ? AND user_id = ?", since, key);
            entries.put(key, since);
        }
    }

    synchronized void remove(String backend, Owner owner) throws StorageUnavailableException {
        Key key = new Key(backend, owner);
        if (entries.containsKey(key)) {
            update("DELETE FROM missed WHERE backend = ? AND bucket = ? AND user_id = ?", null, key);
            entries.remove(key);
        }
    }

    /** @return the entries of {@code backend} */
    List<Entry> of(String backend) {
        List<Entry> found = new ArrayList<>();
        for (Map.Entry<Key, Long> entry : entries.entrySet()) {
            if (entry.getKey().backend().equals(backend)) {
                found.add(new Entry(backend, entry.getKey().owner(), entry.getValue()));
            }
        }
        return found;
    }

    /** @return how many owners each backend lacks writes of, by backend name */
    Map<String, Integer> counts() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Key key : entries.keySet()) {
            counts.merge(key.backend(), 1, Integer::sum);
        }
        return counts;
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing: nothing left to save
        }
    }

    private void update(String sql, Long since, Key key) throws StorageUnavailableException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int index = 1;
            if (since != null) {
                statement.setLong(index++, since);
            }
            statement.setString(index++, key.backend());
            statement.setString(index++, key.owner().bucket());
            statement.setString(index, key.owner().user());
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new StorageUnavailableException("the journal of missed writes cannot be written: " + e.getMessage(), e);
        }
    }
}
