package org.openwebapps.marketplace.catalog.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.openwebapps.storage.ChangePage;
import org.openwebapps.storage.StorageException;
import org.openwebapps.storage.StoredRecord;

/**
 * This node's copy of the catalog, kept fresh from the catalog owner's {@code changesSince}: the
 * node refreshes it on a short period (so writes through other nodes show within it) and after
 * each of its own writes (so a developer sees their change at once). Queries read an immutable
 * snapshot and never touch storage. The public apps are kept sorted as they change, so a change
 * costs a copy of the lists, never a sort.
 */
final class CatalogIndex {

    private static final int PAGE = 1000;

    /** The apps at one moment, with the public ones in the catalog's two orders. */
    record Snapshot(Map<Long, App> byId, Map<String, Long> idBySlug, Ordered publicByCreated, Ordered publicByName) {

        static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), Ordered.of(List.of()), Ordered.of(List.of()));

        Optional<App> find(String idOrSlug) {
            Long id = idBySlug.get(idOrSlug);
            if (id == null && !idOrSlug.isEmpty() && idOrSlug.length() < 19 && idOrSlug.chars().allMatch(Character::isDigit)) {
                id = Long.valueOf(idOrSlug);
            }
            return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
        }
    }

    /** An app with what searching and sorting it needs, computed once per change rather than per query. */
    record Listed(App app, String text, String nameKey) {

        static Listed of(App app) {
            return new Listed(app, app.searchText(), app.name().toLowerCase(Locale.ROOT));
        }
    }

    /**
     * Public apps in one order, with their search texts joined into one string ({@code \0} between
     * apps): a term is found with one {@code indexOf} pass over all of them instead of one
     * {@code contains} per app, and each hit names its app through {@code starts}. The joined text
     * is made by the first search that needs it, so a burst of catalog writes costs no joining.
     */
    static final class Ordered {

        private final List<Listed> apps;
        private volatile Joined joined;

        /** The joined texts, and where each app's text begins. */
        private record Joined(String text, int[] starts) {
        }

        private Ordered(List<Listed> apps) {
            this.apps = List.copyOf(apps);
        }

        static Ordered of(List<Listed> apps) {
            return new Ordered(apps);
        }

        List<Listed> apps() {
            return apps;
        }

        String text() {
            return joined().text();
        }

        /** @return the app whose text holds position {@code offset} of {@link #text} */
        int appAt(int offset) {
            int found = Arrays.binarySearch(joined().starts(), offset);
            return found >= 0 ? found : -found - 2;
        }

        /** @return where the text after app {@code index} begins */
        int after(int index) {
            Joined current = joined();
            return index + 1 < current.starts().length ? current.starts()[index + 1] : current.text().length();
        }

        private Joined joined() {
            Joined current = joined;
            if (current == null) { // racing searches may both join: the same result, no harm
                StringBuilder text = new StringBuilder();
                int[] starts = new int[apps.size()];
                for (int i = 0; i < apps.size(); i++) {
                    starts[i] = text.length();
                    text.append(apps.get(i).text()).append('\0');
                }
                current = new Joined(text.toString(), starts);
                joined = current;
            }
            return current;
        }
    }

    /** Newest first, ties by the higher id first. */
    static final Comparator<App> BY_CREATED = Comparator.comparingLong(App::created).reversed()
            .thenComparing(Comparator.comparingLong(App::id).reversed());
    private static final Comparator<Listed> LISTED_BY_CREATED = Comparator.comparing(Listed::app, BY_CREATED);
    /** Name A→Z ignoring case, ties by id. */
    private static final Comparator<Listed> LISTED_BY_NAME = Comparator.comparing(Listed::nameKey)
            .thenComparingLong(listed -> listed.app().id());

    private final MarketplaceStorage storage;
    private final Map<Long, Listed> apps = new HashMap<>();
    private final Map<String, Long> slugs = new HashMap<>();
    private final TreeSet<Listed> byCreated = new TreeSet<>(LISTED_BY_CREATED);
    private final TreeSet<Listed> byName = new TreeSet<>(LISTED_BY_NAME);
    private long after;
    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private volatile boolean loaded;

    CatalogIndex(MarketplaceStorage storage) {
        this.storage = storage;
    }

    /** An index of these apps, without storage (tests). */
    static Snapshot of(Map<Long, App> apps) {
        CatalogIndex index = new CatalogIndex(null);
        apps.values().forEach(index::put);
        return index.build();
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
                remove(id);
                if (!record.deleted()) {
                    put(App.fromBytes(record.value()));
                }
                changed = true;
            }
            after = page.until(after);
            if (!page.more()) {
                break;
            }
        }
        if (changed || !loaded) {
            snapshot = build();
            loaded = true;
        }
    }

    private void put(App app) {
        Listed listed = Listed.of(app);
        apps.put(app.id(), listed);
        slugs.put(app.slug(), app.id());
        if (app.isPublic()) {
            byCreated.add(listed);
            byName.add(listed);
        }
    }

    private void remove(long id) {
        Listed old = apps.remove(id);
        if (old != null) {
            slugs.remove(old.app().slug(), id);
            byCreated.remove(old);
            byName.remove(old);
        }
    }

    private Snapshot build() {
        Map<Long, App> byId = new HashMap<>();
        apps.forEach((id, listed) -> byId.put(id, listed.app()));
        return new Snapshot(Map.copyOf(byId), Map.copyOf(slugs), Ordered.of(List.copyOf(byCreated)),
                Ordered.of(List.copyOf(byName)));
    }
}
