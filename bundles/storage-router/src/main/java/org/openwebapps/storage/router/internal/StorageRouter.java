package org.openwebapps.storage.router.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.openwebapps.health.HealthResult;
import org.openwebapps.metrics.Counter;
import org.openwebapps.metrics.MeterSlot;
import org.openwebapps.metrics.Meters;
import org.openwebapps.metrics.Timer;
import org.openwebapps.storage.ChangePage;
import org.openwebapps.storage.KeyRange;
import org.openwebapps.storage.Mutation;
import org.openwebapps.storage.Owner;
import org.openwebapps.storage.OwnerLocks;
import org.openwebapps.storage.RecordAndChanges;
import org.openwebapps.storage.StorageBackend;
import org.openwebapps.storage.StorageException;
import org.openwebapps.storage.StorageUnavailableException;
import org.openwebapps.storage.StoredRecord;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage service Sauropod uses ({@code storage.name=router}): composed from two backends,
 * a primary and an optional mirror, chosen by configuration and changeable while running.
 *
 * <p>Per owner (bucket, user), the primary serves unless it is down, absent, or lacks some of the
 * owner's writes (an entry in {@link MissedWrites}); then the mirror serves on the same terms;
 * else the call is unavailable (503). A write goes to the serving backend and is then copied to
 * the other with the same timestamps ({@link StorageBackend#replicate}); when the other cannot take
 * it, the journal records that it lacks the owner's writes from then on, before the write is
 * acknowledged. A background round probes failed backends and copies what they lack from the
 * other once they are back; a backend serves an owner again only when that owner is copied.
 * Writes of one owner are serialised here, so the copy sees them in order.
 */
@Component(service = {StorageBackend.class, StorageRouter.class}, configurationPid = StorageRouter.PID,
        property = StorageBackend.NAME_PROPERTY + "=" + StorageRouter.NAME)
@Designate(ocd = RouterConfiguration.class)
public final class StorageRouter implements StorageBackend {

    static final String PID = "org.openwebapps.storage.router";
    static final String NAME = "router";

    private static final Logger LOG = LoggerFactory.getLogger(StorageRouter.class);
    /** Locks ordering each owner's writes (and a replay's last page) in this router. */
    private static final int OWNER_LOCKS = 1024;

    private record Roles(String primary, String mirror) {
    }

    /** Who serves an owner now, and which backend is to receive copies of its writes (may be {@code null}). */
    private record Route(StorageBackend serving, String servingName, String otherName) {
    }

    /** One call to a backend: a read, or a write answering the records as the backend stored them. */
    @FunctionalInterface
    private interface Call<T> {
        T on(StorageBackend backend) throws StorageException;
    }

    /** Liveness as seen from calls: a failed call marks the backend down until a probe finds it healthy. */
    private static final class State {
        volatile String reason; // null while up
        volatile String probe; // what the last health probe said while down
        volatile long downSince;
        volatile long upSinceNanos = System.nanoTime();
        final AtomicLong replayed = new AtomicLong();

        void up() {
            upSinceNanos = System.nanoTime();
            reason = null;
            probe = null;
        }
    }

    /** A call running against a backend, watched so that a backend that stops answering is marked down in bounded time. */
    private record InFlight(String backend, long startNanos) {
    }

    private final Map<String, StorageBackend> backends = new ConcurrentHashMap<>();
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final OwnerLocks ownerLocks = new OwnerLocks(OWNER_LOCKS);
    private final MissedWrites missed;
    private final Map<Thread, InFlight> inFlight = new ConcurrentHashMap<>();
    private final MeterSlot<Timer> callTimes = new MeterSlot<>(meters -> meters.timer("owa_storage_call_seconds",
            "Calls to a backend by backend and outcome (ok, error)", "backend", "outcome"));
    private final MeterSlot<Counter> timeouts = new MeterSlot<>(meters -> meters.counter("owa_storage_call_timeouts",
            "Backends marked down because a call ran past call.timeout.ms", "backend"));
    private final ScheduledExecutorService rounds;
    private final ScheduledExecutorService watchdog;
    private volatile Roles roles;
    private volatile int replayPageSize;
    private volatile long callTimeoutNanos;

    @Activate
    public StorageRouter(RouterConfiguration config) throws StorageUnavailableException {
        configure(config);
        missed = MissedWrites.open(journalDirectory(config));
        rounds = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "openwebapps-storage-router");
            thread.setDaemon(true);
            return thread;
        });
        rounds.scheduleWithFixedDelay(this::round, config.probe_interval_ms(), config.probe_interval_ms(),
                TimeUnit.MILLISECONDS);
        // its own thread: the round's may itself hang in a health probe of a backend that stopped answering
        watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "openwebapps-storage-router-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        watchdog.scheduleWithFixedDelay(this::watch, 100, 100, TimeUnit.MILLISECONDS);
        LOG.info("Storage router: primary {}, mirror {}; {} owners pending replay", roles.primary(),
                roles.mirror() == null ? "none" : roles.mirror(), missed.counts());
    }

    @Modified
    void configure(RouterConfiguration config) {
        if (config.primary().isBlank()) {
            throw new IllegalArgumentException("primary must name a storage backend");
        }
        if (config.replay_page_size() < 1 || config.replay_page_size() > 1000) {
            throw new IllegalArgumentException("replay.page.size must be between 1 and 1000");
        }
        if (config.call_timeout_ms() < 100) {
            throw new IllegalArgumentException("call.timeout.ms must be at least 100");
        }
        String mirror = config.mirror().isBlank() || config.mirror().equals(config.primary()) ? null : config.mirror().trim();
        Roles next = new Roles(config.primary().trim(), mirror);
        if (roles != null && !next.equals(roles)) {
            LOG.info("Storage router: roles now primary {}, mirror {}", next.primary(), mirror == null ? "none" : mirror);
        }
        roles = next;
        replayPageSize = config.replay_page_size();
        callTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.call_timeout_ms());
    }

    @Deactivate
    void close() throws InterruptedException {
        watchdog.shutdownNow();
        rounds.shutdownNow();
        rounds.awaitTermination(10, TimeUnit.SECONDS);
        missed.close();
    }

    @Reference(service = StorageBackend.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(!(" + NAME_PROPERTY + "=" + NAME + "))")
    void bindBackend(StorageBackend backend, Map<String, Object> properties) {
        String name = String.valueOf(properties.get(NAME_PROPERTY));
        backends.put(name, backend);
        states.computeIfAbsent(name, n -> new State()).up(); // a new instance: trusted until a call fails
        LOG.info("Storage router: backend {} available", name);
    }

    void unbindBackend(StorageBackend backend, Map<String, Object> properties) {
        String name = String.valueOf(properties.get(NAME_PROPERTY));
        if (backends.remove(name, backend)) {
            LOG.info("Storage router: backend {} gone", name);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    // --- reads: from the backend serving the owner, failing over once ---------------------------

    @Override
    public Optional<StoredRecord> get(String bucket, String user, String key) throws StorageException {
        return read(new Owner(bucket, user), backend -> backend.get(bucket, user, key));
    }

    @Override
    public List<String> listKeys(String bucket, String user, KeyRange range) throws StorageException {
        return read(new Owner(bucket, user), backend -> backend.listKeys(bucket, user, range));
    }

    @Override
    public ChangePage changesSince(String bucket, String user, long after, int limit) throws StorageException {
        return read(new Owner(bucket, user), backend -> backend.changesSince(bucket, user, after, limit));
    }

    @Override
    public RecordAndChanges getWithChangesSince(String bucket, String user, String key, long after, int limit)
            throws StorageException {
        return read(new Owner(bucket, user), backend -> backend.getWithChangesSince(bucket, user, key, after, limit));
    }

    /** The primary's owners (the mirror's when the primary is out): for whole-store work. */
    @Override
    public List<Owner> owners(Owner after, int limit) throws StorageException {
        Roles current = roles;
        StorageBackend primary = up(current.primary());
        StorageBackend source = primary != null ? primary : current.mirror() == null ? null : up(current.mirror());
        if (source == null) {
            throw new StorageUnavailableException("no storage backend is up", null);
        }
        return source.owners(after, limit);
    }

    private <T> T read(Owner owner, Call<T> read) throws StorageException {
        for (int attempt = 0; ; attempt++) {
            Route route = route(owner);
            try {
                return watched(route.servingName(), route.serving(), read);
            } catch (StorageUnavailableException e) {
                markDown(route.servingName(), e);
                if (attempt == 1) {
                    throw e;
                }
            }
        }
    }

    // --- writes: to the serving backend, then copied or journaled for the other ------------------

    @Override
    public long write(String bucket, String user, List<Mutation> mutations) throws StorageException {
        List<StoredRecord> stored = apply(new Owner(bucket, user), backend -> {
            long timestamp = backend.write(bucket, user, mutations);
            List<StoredRecord> records = new ArrayList<>(mutations.size());
            for (Mutation mutation : mutations) {
                records.add(mutation.isDelete() ? StoredRecord.tombstone(mutation.key(), timestamp)
                        : StoredRecord.live(mutation.key(), mutation.value(), timestamp));
            }
            return records;
        });
        return stored.get(0).timestamp();
    }

    @Override
    public void replicate(String bucket, String user, List<StoredRecord> records) throws StorageException {
        apply(new Owner(bucket, user), backend -> {
            backend.replicate(bucket, user, records);
            return records;
        });
    }

    private List<StoredRecord> apply(Owner owner, Call<List<StoredRecord>> apply) throws StorageException {
        ReentrantLock lock = lockOf(owner);
        lock.lock();
        try {
            StorageUnavailableException failure = null;
            for (int attempt = 0; attempt < 2; attempt++) {
                Route route = route(owner);
                String other = route.otherName();
                StorageBackend direct = other == null ? null : usable(other, owner);
                // When the other backend cannot take the copy, the journal says so before the
                // write: a crash right after it then cannot leave the other silently behind.
                boolean journaledHere = other != null && direct == null && !missed.has(other, owner);
                if (journaledHere) {
                    missed.add(other, owner, 0);
                }
                List<StoredRecord> records;
                try {
                    records = watched(route.servingName(), route.serving(), apply);
                } catch (StorageUnavailableException e) {
                    // the entry stays: the write may have landed before the failure, and the
                    // replay then copies it (or nothing, harmlessly)
                    markDown(route.servingName(), e);
                    failure = e;
                    continue;
                } catch (StorageException | RuntimeException e) {
                    undo(journaledHere, other, owner); // refused: nothing was written
                    throw e;
                }
                long before = oldest(records) - 1; // the other held every earlier write of the owner
                if (journaledHere) {
                    missed.advance(other, owner, before);
                } else if (direct != null) {
                    copy(direct, other, owner, records, before);
                }
                return records;
            }
            throw failure;
        } finally {
            lock.unlock();
        }
    }

    private void copy(StorageBackend target, String name, Owner owner, List<StoredRecord> records, long before)
            throws StorageUnavailableException {
        try {
            watched(name, target, backend -> {
                backend.replicate(owner.bucket(), owner.user(), records);
                return null;
            });
        } catch (StorageException | RuntimeException e) {
            if (e instanceof StorageUnavailableException unavailable) {
                markDown(name, unavailable);
            } else {
                LOG.warn("Storage router: {} refused a copy ({}); journaled for replay", name, e.getMessage());
            }
            missed.add(name, owner, before); // durable before the write is acknowledged
        }
    }

    private void undo(boolean journaledHere, String other, Owner owner) {
        if (journaledHere) {
            try {
                missed.remove(other, owner);
            } catch (StorageUnavailableException e) {
                // the entry stays: the replay copies an owner that needed nothing, which is harmless
                LOG.warn("Storage router: journal entry for {} kept: {}", other, e.getMessage());
            }
        }
    }

    private static long oldest(List<StoredRecord> records) {
        long oldest = Long.MAX_VALUE;
        for (StoredRecord record : records) {
            oldest = Math.min(oldest, record.timestamp());
        }
        return oldest;
    }

    // --- routing and liveness --------------------------------------------------------------------

    private Route route(Owner owner) throws StorageUnavailableException {
        Roles current = roles;
        StorageBackend primary = usable(current.primary(), owner);
        if (primary != null) {
            return new Route(primary, current.primary(), current.mirror());
        }
        if (current.mirror() != null) {
            StorageBackend mirror = usable(current.mirror(), owner);
            if (mirror != null) {
                return new Route(mirror, current.mirror(), current.primary());
            }
        }
        throw new StorageUnavailableException("no storage backend can serve this owner now ("
                + describe(current.primary()) + (current.mirror() == null ? "" : ", " + describe(current.mirror())) + ")",
                null);
    }

    /** @return the backend if it is bound, up, and holds every write of the owner; else {@code null} */
    private StorageBackend usable(String name, Owner owner) {
        StorageBackend backend = up(name);
        return backend == null || missed.has(name, owner) ? null : backend;
    }

    private StorageBackend up(String name) {
        StorageBackend backend = backends.get(name);
        State state = states.get(name);
        return backend != null && state != null && state.reason == null ? backend : null;
    }

    private String describe(String name) {
        if (!backends.containsKey(name)) {
            return name + " absent";
        }
        State state = states.get(name);
        return state == null || state.reason == null ? name + " behind" : name + " down";
    }

    /** Makes a call with the watchdog watching it, timed by backend and outcome. */
    private <T> T watched(String name, StorageBackend backend, Call<T> call) throws StorageException {
        Thread self = Thread.currentThread();
        long start = System.nanoTime();
        inFlight.put(self, new InFlight(name, start));
        String outcome = "error";
        try {
            T result = call.on(backend);
            outcome = "ok";
            return result;
        } finally {
            inFlight.remove(self);
            Timer timer = callTimes.get();
            if (timer != null) {
                timer.record(System.nanoTime() - start, name, outcome);
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindMeters(Meters meters) {
        callTimes.bind(meters);
        timeouts.bind(meters);
    }

    void unbindMeters(Meters meters) {
        callTimes.unbind(meters);
        timeouts.unbind(meters);
    }

    /**
     * Marks down a backend with a call running past {@code call.timeout.ms}: a server that stops
     * answering (a frozen process, a silent network) can hold a call far longer than its client's
     * own timeouts promise. Later calls go to the other side; the stuck one ends when the backend
     * answers or fails. Calls begun before the backend last came up do not count again.
     */
    private void watch() {
        long now = System.nanoTime();
        for (InFlight call : inFlight.values()) {
            State state = states.get(call.backend());
            if (now - call.startNanos() > callTimeoutNanos && state != null && state.reason == null
                    && call.startNanos() - state.upSinceNanos > 0) {
                markDown(call.backend(), "no answer within " + TimeUnit.NANOSECONDS.toMillis(callTimeoutNanos) + " ms");
                Counter counter = timeouts.get();
                if (counter != null) {
                    counter.increment(call.backend());
                }
            }
        }
    }

    private void markDown(String name, Exception cause) {
        markDown(name, cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
    }

    private void markDown(String name, String reason) {
        State state = states.computeIfAbsent(name, n -> new State());
        synchronized (state) {
            if (state.reason == null) {
                state.downSince = System.currentTimeMillis();
                state.reason = reason;
                LOG.warn("Storage router: backend {} down ({}); failing over", name, reason);
            }
        }
    }

    ReentrantLock lockOf(Owner owner) {
        return ownerLocks.of(owner);
    }

    // --- the background round: probe failed backends, replay what they missed -------------------

    /** One round; runs on the router's thread, and when an operator asks (one at a time). */
    synchronized void round() {
        try {
            Roles current = roles;
            for (String name : configured(current)) {
                probe(name);
            }
            replay(current.primary(), current.mirror());
            if (current.mirror() != null) {
                replay(current.mirror(), current.primary());
            }
        } catch (RuntimeException | LinkageError e) {
            // never let the schedule die: a backend bundle uninstalled mid-call fails with a LinkageError
            LOG.warn("Storage router: round failed", e);
        }
    }

    private void probe(String name) {
        StorageBackend backend = backends.get(name);
        State state = states.get(name);
        if (backend == null || state == null || state.reason == null) {
            return;
        }
        HealthResult health = backend.health();
        if (health.healthy()) {
            LOG.info("Storage router: backend {} healthy again after {} ms", name,
                    System.currentTimeMillis() - state.downSince);
            state.up();
        } else {
            state.probe = health.message();
        }
    }

    /** Copies into {@code target} what it lacks, from {@code source}, owner by owner. */
    private void replay(String target, String source) {
        if (source == null || up(target) == null) {
            return;
        }
        for (MissedWrites.Entry entry : missed.of(target)) {
            StorageBackend from = usable(source, entry.owner());
            StorageBackend to = up(target);
            if (from == null || to == null) {
                continue;
            }
            try {
                // the bulk of the copy runs beside new writes (which go to the source meanwhile);
                // the last pass holds the owner's lock, so none can slip between it and the removal
                long since = copyChanges(from, source, to, target, entry.owner(), entry.since());
                ReentrantLock lock = lockOf(entry.owner());
                lock.lock();
                try {
                    if (usable(source, entry.owner()) != from) {
                        continue;
                    }
                    copyChanges(from, source, to, target, entry.owner(), since);
                    missed.remove(target, entry.owner());
                } finally {
                    lock.unlock();
                }
            } catch (StorageUnavailableException e) {
                // which side failed: the next probe tells, the health of each
                if (!from.health().healthy()) {
                    markDown(source, e);
                } else {
                    markDown(target, e);
                }
                return;
            } catch (StorageException | RuntimeException e) {
                LOG.warn("Storage router: replay of an owner into {} failed: {}", target, e.getMessage());
            }
        }
    }

    private long copyChanges(StorageBackend from, String source, StorageBackend to, String target, Owner owner,
            long since) throws StorageException {
        State state = states.get(target);
        while (true) {
            long after = since;
            ChangePage page = watched(source, from, backend -> backend.changesSince(owner.bucket(), owner.user(), after,
                    replayPageSize));
            if (page.records().isEmpty()) {
                return since;
            }
            watched(target, to, backend -> {
                backend.replicate(owner.bucket(), owner.user(), page.records());
                return null;
            });
            since = page.until(since);
            missed.advance(target, owner, since);
            if (state != null) {
                state.replayed.addAndGet(page.records().size());
            }
            if (!page.more()) {
                return since;
            }
        }
    }

    // --- what operators see ----------------------------------------------------------------------

    /** @return the configured backends first (primary, mirror), then any other known one */
    List<BackendStatus> status() {
        Roles current = roles;
        Map<String, Integer> pending = missed.counts();
        Set<String> names = new LinkedHashSet<>(configured(current));
        names.addAll(backends.keySet());
        names.addAll(pending.keySet());
        List<BackendStatus> statuses = new ArrayList<>();
        for (String name : names) {
            String role = name.equals(current.primary()) ? "primary" : name.equals(current.mirror()) ? "mirror" : "none";
            State state = states.get(name);
            String liveness = !backends.containsKey(name) ? "absent" : state != null && state.reason != null ? "down" : "up";
            String reason = state == null || state.reason == null ? null
                    : state.probe == null ? state.reason : state.reason + "; last probe: " + state.probe;
            statuses.add(new BackendStatus(name, role, liveness, reason,
                    state == null || state.reason == null ? 0 : state.downSince, pending.getOrDefault(name, 0),
                    state == null ? 0 : state.replayed.get()));
        }
        return statuses;
    }

    String primaryName() {
        return roles.primary();
    }

    String mirrorName() {
        return roles.mirror();
    }

    /** @return the backend named, if bound (up or not) */
    Optional<StorageBackend> backend(String name) {
        return Optional.ofNullable(name == null ? null : backends.get(name));
    }

    boolean pending(String backend, Owner owner) {
        return missed.has(backend, owner);
    }

    private static List<String> configured(Roles roles) {
        return roles.mirror() == null ? List.of(roles.primary()) : List.of(roles.primary(), roles.mirror());
    }

    /** Healthy while some backend can serve; the message tells what is degraded. */
    @Override
    public HealthResult health() {
        Roles current = roles;
        boolean serving = up(current.primary()) != null || (current.mirror() != null && up(current.mirror()) != null);
        if (!serving) {
            return HealthResult.failed("no storage backend up: " + describe(current.primary())
                    + (current.mirror() == null ? "" : ", " + describe(current.mirror())));
        }
        return HealthResult.ok();
    }

    private static Path journalDirectory(RouterConfiguration config) {
        if (!config.journal_directory().isBlank()) {
            return Path.of(config.journal_directory());
        }
        return Path.of(System.getProperty("karaf.data", "data"), "storage", NAME);
    }
}
