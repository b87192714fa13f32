package org.openwebapps.storage.mysql.internal;

import java.util.List;

import org.openwebapps.storage.jdbc.SqlDialect;

/**
 * MySQL 8 / MariaDB 10.11 DDL: InnoDB, names and keys as VARBINARY (compared bytewise, no
 * collation surprises), the primary key for key access and a second index for "changed since".
 */
public final class MysqlDialect implements SqlDialect {

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
}
