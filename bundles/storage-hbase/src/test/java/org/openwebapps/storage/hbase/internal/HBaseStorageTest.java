package org.openwebapps.storage.hbase.internal;

import java.util.UUID;

import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.openwebapps.storage.MutableClock;
import org.openwebapps.storage.StorageBackend;
import org.openwebapps.storage.StorageBackendConformance;
import org.openwebapps.storage.StorageLimits;
import org.openwebapps.storage.TestServers;

/**
 * The conformance suite against the real HBase named by {@code HBASE_ZK_QUORUM} and
 * {@code HBASE_ZK_PORT} (tools/hbase/start.sh), in a table of its own dropped afterwards.
 */
class HBaseStorageTest extends StorageBackendConformance {

    private TableName table;

    @Override
    protected StorageBackend createBackend(MutableClock clock, StorageLimits limits) {
        String quorum = TestServers.require("HBASE_ZK_QUORUM");
        int port = Integer.parseInt(TestServers.require("HBASE_ZK_PORT"));
        table = TableName.valueOf("it", "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        return new HBaseStorage(quorum, port, table, 10_000, limits, clock);
    }

    @Override
    protected void closeBackend(StorageBackend backend) throws Exception {
        HBaseStorage hbase = (HBaseStorage) backend;
        try (Connection connection = ConnectionFactory.createConnection(hbase.configuration());
                Admin admin = connection.getAdmin()) {
            if (admin.tableExists(table)) {
                admin.disableTable(table);
                admin.deleteTable(table);
            }
        } finally {
            hbase.close();
        }
    }
}
