package org.openwebapps.tools.storagebench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.CheckAndMutate;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptorBuilder;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.client.TableDescriptorBuilder;
import org.openwebapps.storage.Condition;
import org.openwebapps.storage.Mutation;
import org.openwebapps.storage.StorageLimits;
import org.openwebapps.storage.StoredRecord;
import org.openwebapps.storage.hbase.internal.HBaseStorage;

/**
 * The HBase backend next to plain HBase {@code Table} calls doing the same operation on a table of
 * their own. Usage: {@code HBaseBench <zookeeper quorum> <zookeeper port> [seconds per run]}.
 * "Raw" is one {@code get}, one {@code put}, a get then {@code checkAndMutate} on the cell, one
 * put of 20 columns, one whole-row get.
 */
public final class HBaseBench {

    private static final byte[] F = {'d'};
    private static final String BUCKET = "https://bench.example";

    private HBaseBench() {
    }

    public static void main(String[] args) throws Exception {
        String quorum = args[0];
        int port = Integer.parseInt(args[1]);
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        TableName ours = TableName.valueOf("bench", "ours" + suffix);
        TableName rawName = TableName.valueOf("bench", "raw" + suffix);
        HBaseStorage storage = new HBaseStorage(quorum, port, ours, 10_000, StorageLimits.defaults(), Clock.systemUTC());
        byte[] value = StorageBench.VALUE;
        storage.get(BUCKET, "setup@example.com", "k"); // creates the namespace and our table
        try (Connection connection = ConnectionFactory.createConnection(storage.configuration());
                Admin admin = connection.getAdmin()) {
            admin.createTable(TableDescriptorBuilder.newBuilder(rawName)
                    .setColumnFamily(ColumnFamilyDescriptorBuilder.of(F)).build());
            Table raw = connection.getTable(rawName); // Table is thread safe in HBase 2
            for (int t = 0; t < 8; t++) {
                for (int b = 0; b < 50; b++) {
                    List<Mutation> batch = new ArrayList<>();
                    Put put = new Put(row(t));
                    for (int k = 0; k < 20; k++) {
                        batch.add(Mutation.put("key" + (b * 20 + k), value));
                        put.addColumn(F, ("key" + (b * 20 + k)).getBytes(UTF_8), value);
                    }
                    storage.write(BUCKET, StorageBench.user(t), batch);
                    raw.put(put);
                }
            }
            System.out.printf(Locale.ROOT, "hbase backend, %d s per run; ops/s (ours / raw Table calls = ratio)%n", seconds);
            System.out.printf(Locale.ROOT, "%-26s %8s %26s %26s%n", "operation", "", "1 thread", "8 threads");
            StorageBench.report("get", seconds,
                    (t, i) -> storage.get(BUCKET, StorageBench.user(t), "key" + (i % 1000)).orElseThrow(),
                    (t, i) -> raw.get(new Get(row(t)).addColumn(F, ("key" + (i % 1000)).getBytes(UTF_8))));
            StorageBench.report("put", seconds,
                    (t, i) -> storage.put(BUCKET, StorageBench.user(t), "put" + (i % 100), value, Condition.any()),
                    (t, i) -> raw.put(new Put(row(t)).addColumn(F, ("put" + (i % 100)).getBytes(UTF_8), value)));
            StorageBench.report("conditional put (If-Match)", seconds,
                    (t, i) -> {
                        StoredRecord current = storage.get(BUCKET, StorageBench.user(t), "cond").orElse(null);
                        storage.put(BUCKET, StorageBench.user(t), "cond", value,
                                current == null ? Condition.absent() : Condition.match(current.etag()));
                    },
                    (t, i) -> {
                        byte[] q = "cond".getBytes(UTF_8);
                        byte[] current = raw.get(new Get(row(t)).addColumn(F, q)).getValue(F, q);
                        byte[] next = ("v" + i).getBytes(UTF_8);
                        CheckAndMutate.Builder check = CheckAndMutate.newBuilder(row(t));
                        raw.checkAndMutate(current == null
                                ? check.ifNotExists(F, q).build(new Put(row(t)).addColumn(F, q, next))
                                : check.ifEquals(F, q, current).build(new Put(row(t)).addColumn(F, q, next)));
                    });
            StorageBench.report("atomic batch of 20", seconds,
                    (t, i) -> {
                        List<Mutation> batch = new ArrayList<>(20);
                        for (int k = 0; k < 20; k++) {
                            batch.add(Mutation.put("batch" + k, value));
                        }
                        storage.write(BUCKET, StorageBench.user(t), batch);
                    },
                    (t, i) -> {
                        Put put = new Put(row(t));
                        for (int k = 0; k < 20; k++) {
                            put.addColumn(F, ("batch" + k).getBytes(UTF_8), value);
                        }
                        raw.put(put);
                    });
            StorageBench.report("changes since, 100", seconds,
                    (t, i) -> storage.changesSince(BUCKET, StorageBench.user(t), 0, 100),
                    (t, i) -> raw.get(new Get(row(t)).addFamily(F)).getFamilyMap(F));
            raw.close();
            for (TableName name : List.of(ours, rawName)) {
                admin.disableTable(name);
                admin.deleteTable(name);
            }
        } finally {
            storage.close();
        }
    }

    private static byte[] row(int thread) {
        return (BUCKET + "\0" + StorageBench.user(thread)).getBytes(UTF_8);
    }
}
