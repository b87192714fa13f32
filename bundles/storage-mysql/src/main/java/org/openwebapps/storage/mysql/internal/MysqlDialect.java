package org.openwebapps.storage.mysql.internal;

import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.openwebapps.storage.Timestamps;
import org.openwebapps.storage.jdbc.SqlDialect;

/**
 * MySQL 8 / MariaDB 10.11: InnoDB, names and keys as VARBINARY (compared bytewise, no collation
 * surprises), the primary key for key access and a second index for "changed since". Writes
 * are sent as multi-statement scripts (the pool sets {@code allowMultiQueries}; every value
 * is a bound parameter), so a write costs one or two round trips.
 *
 * <p>{@code VALUES(col)} in {@code ON DUPLICATE KEY UPDATE} is the spelling both servers accept
 * (MySQL 8.0.20+ warns that it is deprecated; MariaDB has no row alias syntax).
 */
public final class MysqlDialect implements SqlDialect {

    private static final String UPSERT_TAIL = " ON DUPLICATE KEY UPDATE record_value = VALUES(record_value),"
            + " ts = VALUES(ts), deleted = VALUES(deleted)";

    @Override
    public List<List<String>> migrations() {
        return List.of(List.of(
                "CREATE TABLE IF NOT EXISTS owa_heads ("
                        + " bucket VARBINARY(255) NOT NULL, user_id VARBINARY(255) NOT NULL, last_ts BIGINT NOT NULL,"
                        + " PRIMARY KEY (bucket, user_id)) ENGINE=InnoDB",
                "CREATE TABLE IF NOT EXISTS owa_records ("
                        + " bucket VARBINARY(255) NOT NULL, user_id VARBINARY(255) NOT NULL,"
                        + " record_key VARBINARY(256) NOT NULL, record_value LONGBLOB NULL, ts BIGINT NOT NULL,"
                        + " deleted BOOLEAN NOT NULL, PRIMARY KEY (bucket, user_id, record_key),"
                        + " INDEX owa_records_by_ts (bucket, user_id, ts)) ENGINE=InnoDB"));
    }

    @Override
    public String upsertRecords(int rows) {
        return "INSERT INTO owa_records (bucket, user_id, record_key, record_value, ts, deleted) VALUES "
                + String.join(", ", Collections.nCopies(rows, "(?, ?, ?, ?, ?, ?)")) + UPSERT_TAIL;
    }

    @Override
    public boolean multiStatements() {
        return true;
    }

    @Override
    public Optional<String> blindWriteScript(int rows) {
        // The head row's lock (taken by the first INSERT) serialises this with every other writer
        // of the (bucket, user) until COMMIT. LAST_INSERT_ID(x) keeps x for the session (the
        // tables have no AUTO_INCREMENT to overwrite it), carrying the new timestamp to the
        // records and back to us without another read.
        return Optional.of("START TRANSACTION;"
                + " INSERT INTO owa_heads (bucket, user_id, last_ts) VALUES (?, ?, LAST_INSERT_ID(?))"
                + " ON DUPLICATE KEY UPDATE last_ts = LAST_INSERT_ID(GREATEST(VALUES(last_ts), last_ts + "
                + Timestamps.RESOLUTION_MILLIS + "));"
                + " INSERT INTO owa_records (bucket, user_id, record_key, record_value, ts, deleted) VALUES "
                + String.join(", ", Collections.nCopies(rows, "(?, ?, ?, ?, LAST_INSERT_ID(), FALSE)")) + UPSERT_TAIL
                + "; COMMIT;"
                + " SELECT LAST_INSERT_ID()");
    }
}
