package org.openwebapps.storage.jdbc;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/** What differs between databases: the DDL of each schema version and the syntax of writes. */
@ConsumerType
public interface SqlDialect {

    /**
     * The schema migrations, in order: element {@code i} brings the schema from version {@code i}
     * to {@code i + 1}. Each is a list of idempotent statements ({@code CREATE ... IF NOT EXISTS}),
     * so two servers migrating at once do no harm. Never edit a released migration; append.
     */
    List<List<String>> migrations();

    /**
     * A statement inserting {@code rows} records into {@code owa_records}, replacing those whose
     * (bucket, user_id, record_key) exists. Its parameters, row after row: bucket, user_id,
     * record_key, record_value, ts, deleted.
     */
    String upsertRecords(int rows);

    /**
     * Whether one JDBC statement may carry several SQL statements separated by {@code ;}
     * (Connector/J's {@code allowMultiQueries}). A server dialect says yes: a write then costs two
     * round trips (lock and read, write and commit) instead of one per statement. The backend
     * then opens and ends transactions with {@code START TRANSACTION}/{@code COMMIT}/{@code ROLLBACK}.
     */
    boolean multiStatements();

    /**
     * A write of unconditional puts in one round trip, or empty when the dialect has none. The
     * script starts and commits its own transaction and ends with a result set holding the
     * timestamp it stamped. It advances the (bucket, user) head to
     * {@code GREATEST(<now truncated>, last_ts + resolution)} (the rule of
     * {@link org.openwebapps.storage.Timestamps#next}, creating the head at the truncated now)
     * and stamps every record with the head's new value. Parameters: bucket, user_id, the
     * truncated now; then per row: bucket, user_id, record_key, record_value.
     *
     * @param rows the number of records
     */
    Optional<String> blindWriteScript(int rows);

    /**
     * Whether the backend must order the writes of one (bucket, user) itself, in this JVM, rather
     * than trust the database's row lock alone. Only for an in-process database that no other
     * process can open: H2 2.x can answer a {@code SELECT ... FOR UPDATE} racing the previous
     * holder's commit with the row as it was before that commit (measured: about one write in
     * 4,000 under contention stamped its predecessor's timestamp again, so an If-Match on the
     * predecessor's ETag passed twice). The database lock stays as well.
     */
    default boolean ordersWritesInProcess() {
        return false;
    }
}
