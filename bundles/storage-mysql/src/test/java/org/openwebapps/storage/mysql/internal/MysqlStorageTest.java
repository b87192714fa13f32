package org.openwebapps.storage.mysql.internal;

import org.openwebapps.storage.MutableClock;
import org.openwebapps.storage.StorageBackend;
import org.openwebapps.storage.StorageBackendConformance;
import org.openwebapps.storage.StorageLimits;

/**
 * The conformance suite against the real MySQL or MariaDB server named by {@code MYSQL_URL}
 * (e.g. {@code jdbc:mysql://127.0.0.1:3306/}), {@code MYSQL_USER}, {@code MYSQL_PASSWORD}, in a
 * database of its own that is dropped afterwards.
 */
class MysqlStorageTest extends StorageBackendConformance {

    private TestDatabase database;

    @Override
    protected StorageBackend createBackend(MutableClock clock, StorageLimits limits) {
        database = new TestDatabase();
        return database.backend(database.url(), 16, limits, clock);
    }

    @Override
    protected void closeBackend(StorageBackend backend) throws Exception {
        ((MysqlStorage) backend).close();
        database.drop();
    }
}
