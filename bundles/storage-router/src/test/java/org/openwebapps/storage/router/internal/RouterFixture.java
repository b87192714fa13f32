package org.openwebapps.storage.router.internal;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariDataSource;

import org.openwebapps.health.HealthResult;
import org.openwebapps.storage.ChangePage;
import org.openwebapps.storage.KeyRange;
import org.openwebapps.storage.Mutation;
import org.openwebapps.storage.Owner;
import org.openwebapps.storage.StorageBackend;
import org.openwebapps.storage.StorageException;
import org.openwebapps.storage.StorageLimits;
import org.openwebapps.storage.StorageUnavailableException;
import org.openwebapps.storage.StoredRecord;
import org.openwebapps.storage.embedded.internal.EmbeddedStorage;
import org.openwebapps.storage.embedded.internal.H2Dialect;
import org.openwebapps.storage.jdbc.JdbcStorageBackend;

/**
 * A router over two real H2 file databases, {@code primary} and {@code mirror}, each behind a
 * switch that makes it fail like an unreachable server, and bound or unbound like an installed or
 * uninstalled feature.
 */
final class RouterFixture implements AutoCloseable {

    /** A real backend behind a switch: while off, every call fails as a down server's would. */
    static final class Switchable implements StorageBackend {
        final StorageBackend real;
        volatile boolean failing;
        /** While set, every call waits for it, like calls to a frozen server. */
        volatile CountDownLatch frozen;

        Switchable(StorageBackend real) {
            this.real = real;
        }

        private void check() throws StorageUnavailableException {
            CountDownLatch latch = frozen;
            if (latch != null) {
                try {
                    latch.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failing) {
                throw new StorageUnavailableException(real.name() + " switched off by the test", null);
            }
        }

        @Override
        public String name() {
            return real.name();
        }

        @Override
        public Optional<StoredRecord> get(String bucket, String user, String key) throws StorageException {
            check();
            return real.get(bucket, user, key);
        }

        @Override
        public long write(String bucket, String user, List<Mutation> mutations) throws StorageException {
            check();
            return real.write(bucket, user, mutations);
        }

        @Override
        public List<String> listKeys(String bucket, String user, KeyRange range) throws StorageException {
            check();
            return real.listKeys(bucket, user, range);
        }

        @Override
        public ChangePage changesSince(String bucket, String user, long after, int limit) throws StorageException {
            check();
            return real.changesSince(bucket, user, after, limit);
        }

        @Override
        public void replicate(String bucket, String user, List<StoredRecord> records) throws StorageException {
            check();
            real.replicate(bucket, user, records);
        }

        @Override
        public List<Owner> owners(Owner after, int limit) throws StorageException {
            check();
            return real.owners(after, limit);
        }

        @Override
        public HealthResult health() {
            return failing || frozen != null ? HealthResult.failed("switched off") : real.health();
        }
    }

    final Path directory;
    final Switchable primary;
    final Switchable mirror;
    StorageRouter router;
    private final List<HikariDataSource> pools = new ArrayList<>();

    RouterFixture(Clock clock, StorageLimits limits) throws Exception {
        directory = Files.createTempDirectory("owa-router");
        primary = new Switchable(backend("primary", clock, limits));
        mirror = new Switchable(backend("mirror", clock, limits));
        router = openRouter("primary", "mirror");
        bind(primary);
        bind(mirror);
    }

    private StorageBackend backend(String name, Clock clock, StorageLimits limits) {
        HikariDataSource pool = EmbeddedStorage.open(directory.resolve(name), 8);
        pools.add(pool);
        return new JdbcStorageBackend(name, pool, new H2Dialect(), clock, limits);
    }

    StorageRouter openRouter(String primaryName, String mirrorName) throws StorageUnavailableException {
        return new StorageRouter(configuration(primaryName, mirrorName));
    }

    RouterConfiguration configuration(String primaryName, String mirrorName) {
        Map<String, Object> values = new HashMap<>();
        values.put("primary", primaryName);
        values.put("mirror", mirrorName);
        values.put("journal_directory", directory.resolve("journal").toString());
        values.put("probe_interval_ms", 3_600_000); // rounds run when a test calls them
        values.put("replay_page_size", 7); // small pages: replays span several
        values.put("call_timeout_ms", 300);
        values.put("_admin_token", "");
        values.put("admin_remote", false);
        return (RouterConfiguration) Proxy.newProxyInstance(RouterConfiguration.class.getClassLoader(),
                new Class<?>[] {RouterConfiguration.class}, (proxy, method, args) -> values.get(method.getName()));
    }

    void bind(Switchable backend) {
        router.bindBackend(backend, Map.of(StorageBackend.NAME_PROPERTY, backend.name()));
    }

    void unbind(Switchable backend) {
        router.unbindBackend(backend, Map.of(StorageBackend.NAME_PROPERTY, backend.name()));
    }

    BackendStatus status(String name) {
        return router.status().stream().filter(status -> status.name().equals(name)).findFirst().orElseThrow();
    }

    @Override
    public void close() throws Exception {
        router.close();
        pools.forEach(HikariDataSource::close);
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
