package org.openwebapps.marketplace.catalog.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

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
     * Public apps in one order, with a term index made by the first search that needs it (a burst
     * of catalog writes costs no indexing). The index's tokens are the texts' maximal runs of
     * letters and digits: a term made of letters and digits occurs in a text exactly when it occurs
     * in one of its tokens; any other term's runs must each occur in a token, and the apps holding
     * them all are then checked against the whole term. The distinct tokens are joined into one
     * string ({@code \0} between them), so finding a term's tokens is one {@code indexOf} pass over
     * that (far shorter than all the texts). A term's matches, and a filter's, are kept for the
     * snapshot's life (a catalog's searches repeat their words).
     */
    static final class Ordered {

        /** Terms and filters whose matches are kept per snapshot; a snapshot lives until the next catalog change. */
        private static final int CACHED_TERMS = 4096;

        private final List<Listed> apps;
        private final Map<String, BitSet> matches = new ConcurrentHashMap<>();
        private volatile Terms terms;

        /**
         * @param vocabulary every distinct token, joined with {@code \0}
         * @param starts     where each token begins in {@code vocabulary}
         * @param holders    per token, the ascending positions of the apps holding it
         */
        private record Terms(String vocabulary, int[] starts, int[][] holders) {
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

        /**
         * @param term lower case, without whitespace
         * @return the positions of the apps whose search text contains {@code term} (the caller's to change)
         */
        BitSet holding(String term) {
            return kept(term, () -> find(term));
        }

        /**
         * @param key names the test, and holds whitespace (so it is never a term)
         * @return the positions of the apps that pass {@code test} (the caller's to change)
         */
        BitSet where(String key, Predicate<App> test) {
            return kept(key, () -> {
                BitSet found = new BitSet(apps.size());
                for (int position = 0; position < apps.size(); position++) {
                    if (test.test(apps.get(position).app())) {
                        found.set(position);
                    }
                }
                return found;
            });
        }

        private BitSet kept(String key, Supplier<BitSet> compute) {
            BitSet found = matches.get(key);
            if (found == null) {
                found = compute.get();
                if (matches.size() < CACHED_TERMS) {
                    matches.put(key, found);
                }
            }
            return (BitSet) found.clone();
        }

        private BitSet find(String term) {
            List<String> runs = tokens(term);
            if (runs.size() == 1 && runs.get(0).length() == term.length()) {
                return holdingToken(runs.get(0));
            }
            BitSet found = new BitSet(apps.size());
            found.set(0, apps.size());
            for (String run : runs) {
                found.and(holdingToken(run));
            }
            for (int position = found.nextSetBit(0); position >= 0; position = found.nextSetBit(position + 1)) {
                if (!apps.get(position).text().contains(term)) {
                    found.clear(position);
                }
            }
            return found;
        }

        /** @param part letters and digits only */
        private BitSet holdingToken(String part) {
            Terms index = terms();
            BitSet found = new BitSet(apps.size());
            int from = 0;
            while (true) {
                int hit = index.vocabulary().indexOf(part, from);
                if (hit < 0) {
                    return found;
                }
                int token = Arrays.binarySearch(index.starts(), hit);
                token = token >= 0 ? token : -token - 2;
                for (int position : index.holders()[token]) {
                    found.set(position);
                }
                from = token + 1 < index.starts().length ? index.starts()[token + 1] : index.vocabulary().length();
            }
        }

        /** @return the maximal runs of letters and digits in {@code text}, in order */
        static List<String> tokens(String text) {
            List<String> tokens = new ArrayList<>();
            int start = -1;
            for (int i = 0; i < text.length(); ) {
                int codePoint = text.codePointAt(i);
                if (Character.isLetterOrDigit(codePoint)) {
                    start = start < 0 ? i : start;
                } else if (start >= 0) {
                    tokens.add(text.substring(start, i));
                    start = -1;
                }
                i += Character.charCount(codePoint);
            }
            if (start >= 0) {
                tokens.add(text.substring(start));
            }
            return tokens;
        }

        private Terms terms() {
            Terms current = terms;
            if (current == null) { // racing searches may both build it: the same result, no harm
                Map<String, int[]> holders = new LinkedHashMap<>();
                for (int position = 0; position < apps.size(); position++) {
                    for (String token : new HashSet<>(tokens(apps.get(position).text()))) {
                        int[] list = holders.get(token);
                        // slot 0 counts; grown by doubling, trimmed below
                        if (list == null || list[0] + 1 == list.length) {
                            int[] grown = new int[list == null ? 4 : list.length * 2];
                            if (list != null) {
                                System.arraycopy(list, 0, grown, 0, list.length);
                            }
                            list = grown;
                            holders.put(token, list);
                        }
                        list[++list[0]] = position;
                    }
                }
                StringBuilder vocabulary = new StringBuilder();
                int[] starts = new int[holders.size()];
                int[][] lists = new int[holders.size()][];
                int index = 0;
                for (Map.Entry<String, int[]> token : holders.entrySet()) {
                    starts[index] = vocabulary.length();
                    vocabulary.append(token.getKey()).append('\0');
                    lists[index++] = Arrays.copyOfRange(token.getValue(), 1, token.getValue()[0] + 1);
                }
                current = new Terms(vocabulary.toString(), starts, lists);
                terms = current;
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
