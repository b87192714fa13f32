package org.openwebapps.storage.embedded.internal;

import java.util.List;

import org.openwebapps.storage.jdbc.SqlDialect;

/** H2 2.x DDL. Names and keys are VARBINARY (their UTF-8 bytes), compared unsigned by H2. */
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
}
