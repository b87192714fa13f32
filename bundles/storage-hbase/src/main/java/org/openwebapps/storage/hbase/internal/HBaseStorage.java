package org.openwebapps.storage.hbase.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.openwebapps.storage.hbase.internal.RowCodec.FAMILY;
import static org.openwebapps.storage.hbase.internal.RowCodec.META;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.apache.hadoop.hbase.NamespaceDescriptor;
import org.apache.hadoop.hbase.NamespaceExistException;
import org.apache.hadoop.hbase.TableExistsException;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.CheckAndMutate;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptorBuilder;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.client.TableDescriptorBuilder;
import org.apache.hadoop.hbase.filter.ColumnRangeFilter;
import org.apache.hadoop.hbase.ipc.NettyRpcClientConfigHelper;
import org.openwebapps.health.HealthResult;
import org.openwebapps.storage.ChangePage;
import org.openwebapps.storage.Condition;
import org.openwebapps.storage.KeyRange;
import org.openwebapps.storage.Keys;
import org.openwebapps.storage.Mutation;
import org.openwebapps.storage.Owner;
import org.openwebapps.storage.RecordAndChanges;
import org.openwebapps.storage.StorageBackend;
import org.openwebapps.storage.StorageException;
import org.openwebapps.storage.StorageLimits;
import org.openwebapps.storage.StorageUnavailableException;
import org.openwebapps.storage.StoredRecord;
import org.openwebapps.storage.Timestamps;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HBase backend. A write reads the row's meta column and the written keys, checks the
 * conditions, stamps after the row's last timestamp and applies everything with one
 * {@code checkAndMutate} on the meta column: a concurrent writer of the same (bucket, user)
 * makes the check fail, and the write is decided again on fresh data. Unconditional puts to a
 * row this node wrote last skip the read. Rows are atomic in HBase,
 * so a batch is too.
 *
 * <p>The connection and the table are opened on first use, so the backend starts while HBase is
 * down and recovers by itself. Calls run on this backend's own threads and the caller waits at
 * most {@code operation.timeout.ms} plus one RPC timeout: the HBase client's own timeouts do not
 * cover its region lookups through ZooKeeper, which waited 12 to 40 s on a frozen server.
 */
@Component(service = StorageBackend.class, configurationPid = HBaseStorage.PID,
        property = StorageBackend.NAME_PROPERTY + "=" + HBaseStorage.NAME)
@Designate(ocd = HBaseStorageConfiguration.class)
public final class HBaseStorage implements StorageBackend {

    static final String PID = "org.openwebapps.storage.hbase";
    static final String NAME = "hbase";

    private static final Logger LOG = LoggerFactory.getLogger(HBaseStorage.class);
    private static final int LAST_WRITTEN_ROWS = 100_000;
    /** How long an uninstall waits for the client's threads to end (about 2 s: its Netty loops wind down). */
    private static final Duration THREADS_END_BOUND = Duration.ofSeconds(5);
    /** Calls to HBase at once, stuck ones included; more are refused as "unavailable". */
    private static final int MAX_CALLS = 256;

    private final Configuration configuration;
    private final TableName tableName;
    private final long operationTimeoutMillis;
    /** How long a caller waits for a call: the operation timeout, plus the RPC under way at its end. */
    private final long waitMillis;
    private final ThreadPoolExecutor calls;
    private final Clock clock;
    /** Rows this node wrote, with the meta cell it wrote: a guess that spares unconditional puts a read. */
    private final Map<ByteBuffer, byte[]> lastWritten = new ConcurrentHashMap<>();
    private final StorageLimits limits;
    private Connection connection; // guarded by this
    private volatile boolean tableReady;
    /** This bundle, when running in OSGi. */
    private Bundle bundle;

    @Activate
    public HBaseStorage(HBaseStorageConfiguration config, BundleContext context) {
        this(config.zookeeper_quorum(), config.zookeeper_port(), TableName.valueOf(config.namespace(), config.table()),
                config.operation_timeout_ms(), limits(config), Clock.systemUTC());
        this.bundle = context.getBundle();
        LOG.info("HBase storage configured for {} on ZooKeeper {}:{}", tableName, config.zookeeper_quorum(),
                config.zookeeper_port());
    }

    /** Outside OSGi (tests, tools/storage-bench). */
    public HBaseStorage(String quorum, int port, TableName tableName, int operationTimeoutMillis, StorageLimits limits,
            Clock clock) {
        if (operationTimeoutMillis < 100) {
            throw new IllegalArgumentException("operation.timeout.ms must be at least 100");
        }
        this.tableName = tableName;
        this.operationTimeoutMillis = operationTimeoutMillis;
        this.waitMillis = operationTimeoutMillis + rpcTimeoutMillis(operationTimeoutMillis);
        this.calls = callThreads();
        this.limits = limits;
        this.clock = clock;
        this.configuration = withBundleClassLoader(() -> {
            Configuration conf = HBaseConfiguration.create();
            conf.set("hbase.zookeeper.quorum", quorum);
            conf.setInt("hbase.zookeeper.property.clientPort", port);
            // bounded calls: a few quick retries inside the operation timeout, never HBase's
            // default of minutes
            conf.setInt("hbase.client.operation.timeout", operationTimeoutMillis);
            conf.setInt("hbase.client.meta.operation.timeout", operationTimeoutMillis);
            conf.setInt("hbase.rpc.timeout", rpcTimeoutMillis(operationTimeoutMillis));
            conf.setInt("hbase.client.retries.number", 3);
            conf.setInt("hbase.client.pause", 100);
            conf.setInt("zookeeper.session.timeout", Math.max(operationTimeoutMillis, 10_000));
            conf.setInt("zookeeper.recovery.retry", 1);
            // HBase's default RPC event loop is a static of the client's classes: it would
            // outlive this bundle's uninstall (the 20-cycle IT counted one leaked loop per cycle).
            // One per connection is shut down with the connection.
            NettyRpcClientConfigHelper.createEventLoopPerClient(conf);
            return conf;
        });
    }

    @Deactivate
    public void close() {
        // first, and outside this object's lock: a call stuck in connection() holds it
        calls.shutdownNow();
        synchronized (this) {
            if (connection != null) {
                try {
                    connection.close(); // closes its ZooKeeper session and RPC threads
                } catch (IOException | RuntimeException e) {
                    // RejectedExecutionException, seen once in ~10 test runs: the client shuts its
                    // own RPC event loop down before it hands that loop the connections' cleanup
                    // (the loop ends at once when it has been idle); ZooKeeper is closed by then
                    LOG.warn("HBase storage: closing the connection failed", e);
                }
                connection = null;
            }
        }
        if (bundle != null && bundle.getState() == Bundle.STOPPING) {
            HBaseClientStatics.release(); // the bundle goes away, and the client's static threads with it
            ClientThreads.awaitEnd(HBaseStorage.class.getClassLoader(), THREADS_END_BOUND);
        }
    }

    /** The client configuration (for tests and tools that administer the cluster). */
    public Configuration configuration() {
        return configuration;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<StoredRecord> get(String bucket, String user, String key) throws StorageException {
        limits.checkNames(bucket, user);
        limits.checkKey(key);
        byte[] qualifier = key.getBytes(UTF_8);
        return bounded("reading", table -> liveRecord(
                table.get(new Get(RowCodec.rowKey(bucket, user)).addColumn(FAMILY, qualifier)), qualifier));
    }

    private static Optional<StoredRecord> liveRecord(Result result, byte[] qualifier) {
        byte[] cell = result.getValue(FAMILY, qualifier);
        return cell == null ? Optional.empty()
                : Optional.of(RowCodec.record(qualifier, cell)).filter(record -> !record.deleted());
    }

    @Override
    public long write(String bucket, String user, List<Mutation> mutations) throws StorageException {
        limits.checkNames(bucket, user);
        limits.checkMutations(mutations);
        byte[] row = RowCodec.rowKey(bucket, user);
        ByteBuffer rowId = ByteBuffer.wrap(row);
        boolean blind = mutations.stream().allMatch(m -> !m.isDelete() && m.condition().kind() == Condition.Kind.ANY);
        // Unconditional puts need no record, only the row's last timestamp: when this node wrote
        // the row last, its remembered value is tried first, and the checkAndMutate is the only
        // call. A stale guess fails the check like any concurrent writer, and the loop reads.
        byte[] firstGuess = blind ? lastWritten.get(rowId) : null;
        return bounded("writing", table -> {
            byte[] guess = firstGuess;
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(operationTimeoutMillis);
            while (System.nanoTime() < deadline) {
                byte[] last = guess;
                if (last == null) {
                    Result current = readCells(table, row, mutations.stream().map(Mutation::key).toList());
                    last = current.getValue(FAMILY, META);
                    for (Mutation mutation : mutations) {
                        byte[] qualifier = mutation.key().getBytes(UTF_8);
                        byte[] cell = current.getValue(FAMILY, qualifier);
                        mutation.checkAgainst(cell == null ? null : RowCodec.record(qualifier, cell));
                    }
                }
                guess = null;
                long timestamp = Timestamps.next(RowCodec.timestamp(last), clock.millis());
                // The cells carry the write's timestamp as their HBase timestamp too, so "changed
                // since" is a time-range read on the region server, not a read of the whole row.
                Put put = new Put(row).addColumn(FAMILY, META, timestamp, RowCodec.timestamp(timestamp));
                for (Mutation mutation : mutations) {
                    put.addColumn(FAMILY, mutation.key().getBytes(UTF_8), timestamp,
                            RowCodec.cell(timestamp, mutation.value()));
                }
                if (putIfMetaIs(table, row, last, put)) {
                    remember(rowId, RowCodec.timestamp(timestamp));
                    return timestamp;
                }
                // another writer of this (bucket, user) got in first: decide again on fresh data
            }
            throw unsettled();
        });
    }

    @Override
    public void replicate(String bucket, String user, List<StoredRecord> records) throws StorageException {
        limits.checkNames(bucket, user);
        limits.checkRecords(records);
        if (records.isEmpty()) {
            return;
        }
        byte[] row = RowCodec.rowKey(bucket, user);
        bounded("replicating", table -> {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(operationTimeoutMillis);
            while (System.nanoTime() < deadline) {
                Result current = readCells(table, row, records.stream().map(StoredRecord::key).toList());
                byte[] last = current.getValue(FAMILY, META);
                long head = RowCodec.timestamp(last);
                Put put = new Put(row);
                for (StoredRecord record : records) {
                    byte[] qualifier = record.key().getBytes(UTF_8);
                    byte[] cell = current.getValue(FAMILY, qualifier);
                    if (cell == null || RowCodec.record(qualifier, cell).timestamp() < record.timestamp()) {
                        put.addColumn(FAMILY, qualifier, record.timestamp(),
                                RowCodec.cell(record.timestamp(), record.deleted() ? null : record.value()));
                    }
                    head = Math.max(head, record.timestamp());
                }
                if (head != RowCodec.timestamp(last)) {
                    put.addColumn(FAMILY, META, head, RowCodec.timestamp(head));
                }
                if (put.isEmpty()) {
                    return null; // everything already there: a replay
                }
                if (putIfMetaIs(table, row, last, put)) {
                    remember(ByteBuffer.wrap(row), RowCodec.timestamp(head));
                    return null;
                }
            }
            throw unsettled();
        });
    }

    private StorageUnavailableException unsettled() {
        return new StorageUnavailableException("no write settled within " + operationTimeoutMillis
                + " ms (HBase slow, or this (bucket, user) contended)", null);
    }

    /** The row's meta cell and the cells of {@code keys}, in one read. */
    private static Result readCells(Table table, byte[] row, List<String> keys) throws IOException {
        Get get = new Get(row).addColumn(FAMILY, META);
        for (String key : keys) {
            get.addColumn(FAMILY, key.getBytes(UTF_8));
        }
        return table.get(get);
    }

    /**
     * Applies {@code put} if the row's meta cell still holds {@code last} (absent when null): the
     * one atomic step of every write. False when another writer of the row got in first.
     */
    private static boolean putIfMetaIs(Table table, byte[] row, byte[] last, Put put) throws IOException {
        CheckAndMutate.Builder unchanged = CheckAndMutate.newBuilder(row);
        CheckAndMutate checkAndPut = last == null
                ? unchanged.ifNotExists(FAMILY, META).build(put)
                : unchanged.ifEquals(FAMILY, META, last).build(put);
        return table.checkAndMutate(checkAndPut).isSuccess();
    }

    private void remember(ByteBuffer rowId, byte[] lastTimestamp) {
        if (lastWritten.size() >= LAST_WRITTEN_ROWS) {
            lastWritten.clear(); // a bound, not an LRU: a miss costs one read
        }
        lastWritten.put(rowId, lastTimestamp);
    }

    @Override
    public List<String> listKeys(String bucket, String user, KeyRange range) throws StorageException {
        limits.checkNames(bucket, user);
        limits.checkLimit(range.limit());
        List<String> keys = new ArrayList<>();
        for (StoredRecord record : readRow(bucket, user, range, -1)) {
            if (!record.deleted() && range.contains(record.key())) {
                keys.add(record.key());
                if (keys.size() == range.limit()) {
                    break;
                }
            }
        }
        return keys;
    }

    @Override
    public ChangePage changesSince(String bucket, String user, long after, int limit) throws StorageException {
        limits.checkNames(bucket, user);
        limits.checkLimit(limit);
        return changePage(readRow(bucket, user, null, after), after, limit);
    }

    /** Two Gets of one row in one call: the client sends them to its region server as one request. */
    @Override
    public RecordAndChanges getWithChangesSince(String bucket, String user, String key, long after, int limit)
            throws StorageException {
        limits.checkNames(bucket, user);
        limits.checkKey(key);
        limits.checkLimit(limit);
        byte[] qualifier = key.getBytes(UTF_8);
        Get record = new Get(RowCodec.rowKey(bucket, user)).addColumn(FAMILY, qualifier);
        return bounded("reading", table -> {
            Result[] results = table.get(List.of(record, rowGet(bucket, user, null, after)));
            return new RecordAndChanges(liveRecord(results[0], qualifier), changePage(records(results[1]), after, limit));
        });
    }

    private static ChangePage changePage(List<StoredRecord> row, long after, int limit) {
        List<StoredRecord> changes = new ArrayList<>();
        for (StoredRecord record : row) {
            if (record.timestamp() > after) {
                changes.add(record);
            }
        }
        changes.sort(Comparator.comparingLong(StoredRecord::timestamp)
                .thenComparing(StoredRecord::key, Keys::compare));
        return ChangePage.cut(changes, limit);
    }

    @Override
    public List<Owner> owners(Owner after, int limit) throws StorageException {
        limits.checkLimit(limit);
        // every row has its meta cell; row keys order owners by their hash prefix
        Scan scan = new Scan().addColumn(FAMILY, META).setLimit(limit).setCaching(limit);
        if (after != null) {
            scan.withStartRow(RowCodec.rowKey(after.bucket(), after.user()), false);
        }
        return bounded("listing owners", table -> {
            List<Owner> owners = new ArrayList<>();
            try (ResultScanner scanner = table.getScanner(scan)) {
                for (Result row : scanner) {
                    owners.add(RowCodec.owner(row.getRow()));
                }
            }
            return owners;
        });
    }

    @Override
    public HealthResult health() {
        try {
            bounded("checking health", table -> table.exists(new Get(RowCodec.rowKey("health", "check"))));
            return HealthResult.ok();
        } catch (StorageException | RuntimeException e) {
            return HealthResult.failed("HBase unreachable");
        }
    }

    /**
     * The row's records in key order, narrowed to the range's prefix/start when one is given.
     *
     * @param after only cells written after this timestamp (their HBase timestamp is the write's),
     *              or -1 for all
     */
    private List<StoredRecord> readRow(String bucket, String user, KeyRange range, long after) throws StorageException {
        return bounded("reading", table -> records(table.get(rowGet(bucket, user, range, after))));
    }

    private static Get rowGet(String bucket, String user, KeyRange range, long after) {
        Get get = new Get(RowCodec.rowKey(bucket, user)).addFamily(FAMILY);
        if (after >= 0) {
            try {
                get.setTimeRange(after + 1, Long.MAX_VALUE);
            } catch (IOException e) {
                throw new IllegalArgumentException("invalid time range after " + after, e);
            }
        }
        if (range != null) {
            byte[] lower = range.prefix().getBytes(UTF_8);
            if (range.start() != null && Keys.compare(range.start(), range.prefix()) > 0) {
                lower = range.start().getBytes(UTF_8);
            }
            get.setFilter(new ColumnRangeFilter(lower.length == 0 ? new byte[] {1} : lower, true, null, false));
        }
        return get;
    }

    /** The records among a row's cells, in key order (the meta cell is the row's own). */
    private static List<StoredRecord> records(Result row) {
        NavigableMap<byte[], byte[]> cells = row.getFamilyMap(FAMILY);
        List<StoredRecord> records = new ArrayList<>();
        if (cells != null) {
            for (Map.Entry<byte[], byte[]> cell : cells.entrySet()) {
                if (!Arrays.equals(cell.getKey(), META)) {
                    records.add(RowCodec.record(cell.getKey(), cell.getValue()));
                }
            }
        }
        return records;
    }

    /** One use of the table, run on a call thread. */
    @FunctionalInterface
    private interface TableCall<T> {
        T run(Table table) throws IOException, StorageException;
    }

    /**
     * Runs {@code call} on a call thread and waits at most {@link #waitMillis} for it; a call
     * still running then is interrupted, and its outcome is unknown, as after any HBase timeout.
     */
    private <T> T bounded(String doing, TableCall<T> call) throws StorageException {
        Future<T> future;
        try {
            future = calls.submit(() -> {
                try (Table table = table()) {
                    return call.run(table);
                }
            });
        } catch (RejectedExecutionException e) {
            throw new StorageUnavailableException(calls.isShutdown() ? "HBase storage closed"
                    : "HBase storage busy: " + MAX_CALLS + " calls waiting on HBase", e);
        }
        try {
            return future.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new StorageUnavailableException("HBase gave no answer within " + waitMillis + " ms while " + doing, e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("interrupted while " + doing, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StorageException storage) {
                throw storage;
            }
            if (cause instanceof IOException io) {
                throw unavailable(doing, io);
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof LinkageError) {
                // this bundle was uninstalled under the call (its class space is gone): as unreachable as a dead server
                throw new StorageUnavailableException("HBase storage closed while " + doing, cause);
            }
            throw new IllegalStateException("HBase call failed while " + doing, cause);
        }
    }

    /**
     * Daemon threads with this bundle's class loader as context loader: HBase's connection looks
     * classes up through it (see withBundleClassLoader).
     */
    private static ThreadPoolExecutor callThreads() {
        AtomicInteger count = new AtomicInteger();
        ClassLoader loader = HBaseStorage.class.getClassLoader();
        return new ThreadPoolExecutor(0, MAX_CALLS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
            Thread thread = new Thread(task, "openwebapps-hbase-call-" + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setContextClassLoader(loader);
            return thread;
        });
    }

    private static int rpcTimeoutMillis(int operationTimeoutMillis) {
        return Math.max(100, operationTimeoutMillis / 2);
    }

    /** A table handle (cheap); opens the connection and creates the table on first use. */
    private Table table() throws StorageUnavailableException {
        Connection open = connection();
        if (!tableReady) {
            createTableIfMissing(open);
        }
        try {
            return open.getTable(tableName);
        } catch (IOException e) {
            throw unavailable("opening the table", e);
        }
    }

    /** Runs on a call thread, whose context class loader is already the bundle's. */
    private synchronized Connection connection() throws StorageUnavailableException {
        if (connection == null || connection.isClosed()) {
            try {
                connection = ConnectionFactory.createConnection(configuration);
            } catch (IOException e) {
                throw unavailable("connecting", e);
            }
        }
        return connection;
    }

    private synchronized void createTableIfMissing(Connection open) throws StorageUnavailableException {
        if (tableReady) {
            return;
        }
        try (Admin admin = open.getAdmin()) {
            if (!admin.tableExists(tableName)) {
                try {
                    admin.createNamespace(NamespaceDescriptor.create(tableName.getNamespaceAsString()).build());
                } catch (NamespaceExistException exists) {
                    // created earlier or by another node
                }
                try {
                    admin.createTable(TableDescriptorBuilder.newBuilder(tableName)
                            .setColumnFamily(ColumnFamilyDescriptorBuilder.of(FAMILY)).build());
                    LOG.info("HBase storage: created table {}", tableName);
                } catch (TableExistsException exists) {
                    // another node was faster
                }
            }
            tableReady = true;
        } catch (IOException e) {
            throw unavailable("creating the table", e);
        }
    }

    /**
     * Hadoop's configuration and HBase's connection look classes up through the context class
     * loader; inside a bundle that must be the bundle's own loader.
     */
    private static <T> T withBundleClassLoader(Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(HBaseStorage.class.getClassLoader());
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static StorageUnavailableException unavailable(String doing, IOException e) {
        return new StorageUnavailableException("HBase failed while " + doing + " (" + e.getClass().getSimpleName() + ")", e);
    }

    private static StorageLimits limits(HBaseStorageConfiguration config) {
        if (config.max_value_bytes() < 1) {
            throw new IllegalArgumentException("max.value.bytes must be at least 1");
        }
        if (config.zookeeper_port() < 1 || config.zookeeper_port() > 65535) {
            throw new IllegalArgumentException("zookeeper.port must be a TCP port, got " + config.zookeeper_port());
        }
        return StorageLimits.defaults().withMaxValueBytes(config.max_value_bytes());
    }
}
