package org.openwebapps.marketplace.catalog.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.openwebapps.storage.ChangePage;
import org.openwebapps.storage.StorageException;
import org.openwebapps.storage.StoredRecord;

/**
 * This node's copy of the catalog, kept fresh from the catalog owner's {@code changesSince}: the
 * node refreshes it on a short period (so writes through other nodes show within it) and after
 * each of its own writes (so a developer sees their change at once). Queries read an immutable
 * snapshot and never touch storage.
 */
final class CatalogIndex {

    private static final int PAGE = 1000;

    /** The apps at one moment, with the public ones pre-sorted for the catalog's two orders. */
    record Snapshot(Map<Long, App> byId, Map<String, Long> idBySlug, List<Listed> publicByCreated,
            List<Listed> publicByName) {

        static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), List.of(), List.of());

        Optional<App> find(String idOrSlug) {
            Long id = idBySlug.get(idOrSlug);
            if (id == null && !idOrSlug.isEmpty() && idOrSlug.length() < 19 && idOrSlug.chars().allMatch(Character::isDigit)) {
                id = Long.valueOf(idOrSlug);
            }
            return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
        }
    }

    /** A public app with its search text, made once per change rather than once per query. */
    record Listed(App app, String text) {
    }

    /** Newest first, ties by the higher id first. */
    static final Comparator<App> BY_CREATED = Comparator.comparingLong(App::created).reversed()
            .thenComparing(Comparator.comparingLong(App::id).reversed());
    /** Name A→Z ignoring case, ties by id. */
    static final Comparator<App> BY_NAME = Comparator.comparing((App app) -> app.name().toLowerCase(Locale.ROOT))
            .thenComparingLong(App::id);

    private final MarketplaceStorage storage;
    private final Map<Long, App> apps = new HashMap<>();
    private long after;
    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private volatile boolean loaded;

    CatalogIndex(MarketplaceStorage storage) {
        this.storage = storage;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    /** @return whether the index has read the whole catalog once (until then queries would miss apps) */
    boolean loaded() {
        return loaded;
    }

    /** Reads what changed since the last refresh; one caller at a time. */
    synchronized void refresh() throws StorageException {
        boolean changed = false;
        while (true) {
            ChangePage page = storage.backend().changesSince(storage.bucket(), CatalogStore.CATALOG, after, PAGE);
            for (StoredRecord record : page.records()) {
                if (!record.key().startsWith(CatalogStore.APP_PREFIX)) {
                    continue;
                }
                long id = Long.parseLong(record.key().substring(CatalogStore.APP_PREFIX.length()));
                if (record.deleted()) {
                    apps.remove(id);
                } else {
                    apps.put(id, App.fromBytes(record.value()));
                }
                changed = true;
            }
            after = page.until(after);
            if (!page.more()) {
                break;
            }
        }
        if (changed || !loaded) {
            snapshot = build(apps);
            loaded = true;
        }
    }

    static Snapshot build(Map<Long, App> apps) {
        Map<String, Long> bySlug = new HashMap<>();
        List<Listed> publicApps = new ArrayList<>();
        for (App app : apps.values()) {
            bySlug.put(app.slug(), app.id());
            if (app.isPublic()) {
                publicApps.add(new Listed(app, app.searchText()));
            }
        }
        List<Listed> byCreated = new ArrayList<>(publicApps);
        byCreated.sort(Comparator.comparing(Listed::app, BY_CREATED));
        List<Listed> byName = new ArrayList<>(publicApps);
        byName.sort(Comparator.comparing(Listed::app, BY_NAME));
        return new Snapshot(Map.copyOf(apps), Map.copyOf(bySlug), List.copyOf(byCreated), List.copyOf(byName));
    }
}
