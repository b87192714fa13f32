package org.openwebapps.marketplace.catalog.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import org.openwebapps.appsync.api.AppSyncException;
import org.openwebapps.appsync.api.AppSyncRecords;
import org.openwebapps.storage.Condition;
import org.openwebapps.storage.KeyRange;
import org.openwebapps.storage.Mutation;
import org.openwebapps.storage.PreconditionFailedException;
import org.openwebapps.storage.RecordNotFoundException;
import org.openwebapps.storage.StorageBackend;
import org.openwebapps.storage.StorageException;
import org.openwebapps.storage.StoredRecord;
import org.openwebapps.storage.Timestamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs and their way into AppSync. Each user's installs live in their own owner
 * ({@code user:<email>}), so installs of different users never queue on one lock:
 * <pre>
 *   install/&lt;app id&gt;   {"app", "install_time"}                 one per (user, app)
 *   outbox/&lt;sequence&gt;  {"op", "app", "origin", "manifest_url", "manifest", "install_time", "receipts"}
 * </pre>
 * An install (or uninstall) and its outbox entry are one atomic batch; the entry is then written
 * into the user's AppSync collection and deleted. When AppSync or its storage cannot take it, the
 * entry stays, and a marker in one of {@link #SHARDS} owners ({@code outbox-<n>}, key = the
 * user) lets the retry round find it. A user's entries are written in order, the oldest first;
 * the round stops at the first that fails.
 * <p>
 * The marker is written before the batch, so a crash between the two cannot hide an entry; it is
 * {@code waiting} once a write into AppSync failed. A user who installs often would write and
 * delete it every time, so a node that wrote a marker trusts it for {@link #MARK_TRUSTED_MILLIS}
 * without writing it again, and the retry round deletes a marker only when the user's outbox is
 * empty and the marker is older than twice that (no node trusts it any more). The round drains a
 * {@code waiting} marker's outbox at once, any other once it is that old: an entry left by a crash
 * is written within {@code 2 × MARK_TRUSTED_MILLIS}, or by the user's next install.
 */
final class Installs {

    static final int SHARDS = 16;
    private static final Logger LOG = LoggerFactory.getLogger(Installs.class);
    private static final String INSTALL = "install/";
    private static final String OUTBOX = "outbox/";
    private static final int BATCH = 100;
    /** Node-local: one writer of a user's outbox at a time, so this node keeps their order. */
    private static final int LOCK_STRIPES = 64;
    /** How long a node trusts a marker it wrote (clocks of nodes must agree far better than this). */
    static final long MARK_TRUSTED_MILLIS = 60_000;

    /** An outbox entry: its key, the ETag it was written with, its JSON. */
    private record Pending(String key, String etag, JsonNode entry) {
    }

    /** An install as stored. */
    record Install(long app, long installTime) {
    }

    /** What {@link #install} did. */
    record Installed(boolean created, long installTime, boolean synced) {
    }

    private final MarketplaceStorage storage;
    private final Supplier<AppSyncRecords> appSync;
    private final Supplier<String> collection;
    private final LongSupplier clock;
    private final AtomicLong sequence = new AtomicLong();
    private final Object[] locks = new Object[LOCK_STRIPES];
    /** Users whose marker this node wrote, and when (its {@code since}); trimmed by each retry round. */
    private final Map<String, Long> marked = new ConcurrentHashMap<>();

    /** @param collection the AppSync collection installs go to ({@code appsync.collection}) */
    Installs(MarketplaceStorage storage, Supplier<AppSyncRecords> appSync, Supplier<String> collection, LongSupplier clock) {
        this.storage = storage;
        this.appSync = appSync;
        this.collection = collection;
        this.clock = clock;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    static String owner(String user) {
        return "user:" + user;
    }

    Optional<Install> get(String user, long appId) throws StorageException {
        return storage.backend().get(storage.bucket(), owner(user), INSTALL + appId).map(Installs::install);
    }

    /** @return the user's installs, in app id order of their keys */
    List<Install> list(String user) throws StorageException {
        StorageBackend backend = storage.backend();
        List<Install> installs = new ArrayList<>();
        String start = null;
        while (true) {
            List<String> keys = backend.listKeys(storage.bucket(), owner(user), new KeyRange(INSTALL, start, null, BATCH));
            for (String key : keys) {
                backend.get(storage.bucket(), owner(user), key).map(Installs::install).ifPresent(installs::add);
            }
            if (keys.size() < BATCH) {
                return installs;
            }
            start = keys.get(keys.size() - 1) + "\0";
        }
    }

    /**
     * Records the install (or, when there is one, writes its AppSync document again) and its
     * outbox entry, then drains the user's outbox.
     */
    Installed install(String user, App app, String siteUrl, List<String> receipts) throws StorageException {
        StorageBackend backend = storage.backend();
        mark(backend, user);
        for (;;) {
            Optional<StoredRecord> existing = backend.get(storage.bucket(), owner(user), INSTALL + app.id());
            long installTime = existing.map(record -> install(record).installTime()).orElseGet(clock::getAsLong);
            Map<String, Object> entry = entry("install", app, siteUrl, installTime, receipts);
            String key = nextOutboxKey();
            long written;
            try {
                written = backend.write(storage.bucket(), owner(user), List.of(
                        Mutation.put(INSTALL + app.id(), CatalogStore.bytes(Map.of("app", app.id(), "install_time", installTime)),
                                existing.map(record -> Condition.match(record.etag())).orElse(Condition.absent())),
                        Mutation.put(key, CatalogStore.bytes(entry), Condition.absent())));
            } catch (PreconditionFailedException e) {
                continue; // installed by a concurrent request meanwhile: this one rewrites it
            }
            Pending mine = new Pending(key, Timestamps.etag(written), App.JSON.valueToTree(entry));
            return new Installed(existing.isEmpty(), installTime, drain(user, mine));
        }
    }

    /** @return whether there was an install to remove */
    boolean uninstall(String user, App app) throws StorageException {
        StorageBackend backend = storage.backend();
        Optional<StoredRecord> existing = backend.get(storage.bucket(), owner(user), INSTALL + app.id());
        if (existing.isEmpty()) {
            return false;
        }
        mark(backend, user);
        String key = nextOutboxKey();
        Map<String, Object> entry = entry("uninstall", app, null, 0, List.of());
        long written;
        try {
            written = backend.write(storage.bucket(), owner(user), List.of(
                    Mutation.delete(INSTALL + app.id(), Condition.match(existing.get().etag())),
                    Mutation.put(key, CatalogStore.bytes(entry), Condition.absent())));
        } catch (PreconditionFailedException | RecordNotFoundException e) {
            return false; // uninstalled by a concurrent request
        }
        drain(user, new Pending(key, Timestamps.etag(written), App.JSON.valueToTree(entry)));
        return true;
    }

    /**
     * One retry round: every user whose marker is {@code waiting} or old has their outbox written in
     * order; an old marker whose outbox is then empty is deleted.
     */
    void retryPending() throws StorageException {
        long now = clock.getAsLong();
        marked.values().removeIf(since -> since < now - MARK_TRUSTED_MILLIS);
        if (appSync.get() == null) {
            return;
        }
        StorageBackend backend = storage.backend();
        for (int shard = 0; shard < SHARDS; shard++) {
            String start = null;
            while (true) {
                List<String> users = backend.listKeys(storage.bucket(), markerOwner(shard),
                        new KeyRange("", start, null, BATCH));
                for (String user : users) {
                    Optional<StoredRecord> marker = backend.get(storage.bucket(), markerOwner(shard), user);
                    if (marker.isEmpty()) {
                        continue;
                    }
                    JsonNode value = CatalogStore.json(marker.get().value());
                    long since = value.path("since").asLong();
                    boolean old = since < now - 2 * MARK_TRUSTED_MILLIS;
                    if (!(value.path("waiting").asBoolean() || old) || !drain(user, null)) {
                        continue;
                    }
                    Condition unchanged = Condition.match(marker.get().etag());
                    try { // drained: an old marker goes, a young one stays (nodes may trust it) but no longer waits
                        if (old) {
                            backend.delete(storage.bucket(), markerOwner(shard), user, unchanged);
                        } else {
                            backend.put(storage.bucket(), markerOwner(shard), user, CatalogStore.bytes(Map.of("since", since)),
                                    unchanged);
                        }
                    } catch (PreconditionFailedException | RecordNotFoundException e) {
                        // marked again meanwhile: kept for the newer entries
                    }
                }
                if (users.size() < BATCH) {
                    break;
                }
                start = users.get(users.size() - 1) + "\0";
            }
        }
    }

    /**
     * Writes the user's outbox into AppSync, oldest first, deleting each entry written; marks the
     * user {@code waiting} when AppSync cannot take an entry.
     *
     * @param written the request's own entry (in memory), or null
     * @return whether the outbox is empty
     */
    private boolean drain(String user, Pending written) throws StorageException {
        AppSyncRecords records = appSync.get();
        if (records == null) {
            markWaiting(storage.backend(), user);
            return false;
        }
        StorageBackend backend = storage.backend();
        synchronized (locks[Math.floorMod(user.hashCode(), LOCK_STRIPES)]) {
            while (true) {
                List<String> keys = backend.listKeys(storage.bucket(), owner(user), new KeyRange(OUTBOX, null, null, BATCH));
                for (String key : keys) {
                    // the request's own entry is in memory: read only what others left waiting
                    Optional<Pending> entry = written != null && key.equals(written.key()) ? Optional.of(written)
                            : backend.get(storage.bucket(), owner(user), key)
                                    .map(record -> new Pending(key, record.etag(), CatalogStore.json(record.value())));
                    if (entry.isEmpty()) {
                        continue; // written by another node meanwhile
                    }
                    try {
                        records.write(user, collection.get(), List.of(document(entry.get().entry())));
                    } catch (AppSyncException e) {
                        if (e.kind() == AppSyncException.Kind.UNAVAILABLE) {
                            LOG.debug("AppSync cannot take {}'s install now: {}", key, e.getMessage());
                            markWaiting(backend, user);
                            return false;
                        }
                        LOG.error("AppSync refuses an install document ({}), dropped: {}", key, e.getMessage());
                    }
                    try {
                        backend.delete(storage.bucket(), owner(user), key, Condition.match(entry.get().etag()));
                    } catch (PreconditionFailedException | RecordNotFoundException e) {
                        // deleted by another node's round
                    }
                }
                if (keys.size() < BATCH) {
                    break;
                }
            }
        }
        return true;
    }

    /** Marks the user as possibly having entries, before any entry is written (unless this node did so lately). */
    private void mark(StorageBackend backend, String user) throws StorageException {
        long now = clock.getAsLong();
        Long since = marked.get(user);
        if (since == null || since < now - MARK_TRUSTED_MILLIS) {
            backend.put(storage.bucket(), markerOwner(user), user, CatalogStore.bytes(Map.of("since", now)), Condition.any());
            marked.put(user, now);
        }
    }

    /** Marks the user as having entries AppSync could not take: the next retry round drains them. */
    private void markWaiting(StorageBackend backend, String user) throws StorageException {
        long now = clock.getAsLong();
        backend.put(storage.bucket(), markerOwner(user), user, CatalogStore.bytes(Map.of("since", now, "waiting", true)),
                Condition.any());
        marked.put(user, now);
    }

    private Map<String, Object> document(JsonNode entry) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("origin", entry.path("origin").asText());
        if ("uninstall".equals(entry.path("op").asText())) {
            document.put("deleted", true);
        } else {
            document.put("manifest_url", entry.path("manifest_url").asText());
            document.put("manifest", App.JSON.convertValue(entry.path("manifest"), Map.class));
            document.put("install_origin", entry.path("install_origin").asText());
            document.put("install_time", entry.path("install_time").asLong());
            List<String> receipts = new ArrayList<>();
            entry.path("receipts").forEach(receipt -> receipts.add(receipt.asText()));
            document.put("install_data", Map.of("receipts", receipts));
        }
        document.put("last_modified", clock.getAsLong()); // the write's time: it wins over older device copies
        return document;
    }

    private static Map<String, Object> entry(String op, App app, String siteUrl, long installTime, List<String> receipts) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("op", op);
        entry.put("app", app.id());
        entry.put("origin", app.origin());
        if (op.equals("install")) {
            entry.put("manifest_url", app.manifestUrl());
            entry.put("manifest", app.manifest());
            entry.put("install_origin", siteUrl);
            entry.put("install_time", installTime);
            entry.put("receipts", receipts);
        }
        return entry;
    }

    /** Keys that sort in the order they were made on this node (and by time across nodes). */
    private String nextOutboxKey() {
        long now = clock.getAsLong() * 1000;
        long next = sequence.updateAndGet(last -> Math.max(last + 1, now));
        return OUTBOX + String.format("%019d", next);
    }

    private static Install install(StoredRecord record) {
        JsonNode json = CatalogStore.json(record.value());
        return new Install(json.path("app").asLong(), json.path("install_time").asLong());
    }

    private static String markerOwner(String user) {
        return markerOwner(Math.floorMod(user.hashCode(), SHARDS));
    }

    private static String markerOwner(int shard) {
        return "outbox-" + shard;
    }
}
