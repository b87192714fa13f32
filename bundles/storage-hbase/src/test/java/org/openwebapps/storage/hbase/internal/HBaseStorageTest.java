package org.openwebapps.storage.hbase.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.openwebapps.storage.Condition;
import org.openwebapps.storage.MutableClock;
import org.openwebapps.storage.StorageBackend;
import org.openwebapps.storage.StorageBackendConformance;
import org.openwebapps.storage.StorageLimits;
import org.openwebapps.storage.StoredRecord;
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

    /** Two nodes on one table: each node's remembered last write goes stale when the other writes. */
    @Test
    void twoNodesWritingOneUserStayOrderedAndLoseNothing() throws Exception {
        HBaseStorage first = (HBaseStorage) backend;
        HBaseStorage second = new HBaseStorage(TestServers.require("HBASE_ZK_QUORUM"),
                Integer.parseInt(TestServers.require("HBASE_ZK_PORT")), table, 10_000, StorageLimits.defaults(), clock);
        try {
            long previous = 0;
            for (int i = 0; i < 20; i++) {
                HBaseStorage node = i % 3 == 0 ? second : first;
                long stamped = node.put("bucket", "alice", "k" + (i % 4), bytes("v" + i), Condition.any());
                assertTrue(stamped > previous, "write " + i + " stamped " + stamped + " after " + previous);
                previous = stamped;
            }
            for (int k = 0; k < 4; k++) {
                StoredRecord record = first.get("bucket", "alice", "k" + k).orElseThrow();
                assertArrayEquals(bytes("v" + (16 + k)), record.value());
            }
        } finally {
            second.close();
        }
    }
}
