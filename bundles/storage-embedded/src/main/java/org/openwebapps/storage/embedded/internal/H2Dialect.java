package org.openwebapps.storage.embedded.internal;

import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.openwebapps.storage.jdbc.SqlDialect;

/**
 * H2 2.x. Names and keys are VARBINARY (their UTF-8 bytes), compared unsigned by H2. H2 runs in
 * the server's JVM, so a statement costs no round trip and writes are sent one statement at a time.
 */
public final class H2Dialect implements SqlDialect {

    @Override
    public List<List<String>> migrations() {
        return List.of(List.of(
                "CREATE TABLE IF NOT EXISTS owa_heads ("
                        + " bucket VARBINARY(255) NOT NULL, user_id VARBINARY(255) NOT NULL, last_ts BIGINT NOT NULL,"
                        + " PRIMARY KEY (bucket, user_id))",
                "CREATE TABLE IF NOT EXISTS owa_records ("
                        + " bucket VARBINARY(255) NOT NULL, user_id VARBINARY(255) NOT NULL,"
                        + " record_key VARBINARY(256) NOT NULL, record_value VARBINARY, ts BIGINT NOT NULL,"
                        + " deleted BOOLEAN NOT NULL, PRIMARY KEY (bucket, user_id, record_key))",
                "CREATE INDEX IF NOT EXISTS owa_records_by_ts ON owa_records (bucket, user_id, ts)"));
    }

    @Override
    public String upsertRecords(int rows) {
        return "MERGE INTO owa_records (bucket, user_id, record_key, record_value, ts, deleted)"
                + " KEY (bucket, user_id, record_key) VALUES "
                + String.join(", ", Collections.nCopies(rows, "(?, ?, ?, ?, ?, ?)"));
    }

    @Override
    public boolean multiStatements() {
        return false;
    }

    @Override
    public Optional<String> blindWriteScript(int rows) {
        return Optional.empty();
    }

    /** Its FOR UPDATE can read a row from before a racing commit (see the interface); one JVM owns the files. */
    @Override
    public boolean ordersWritesInProcess() {
        return true;
    }
}
