package org.openwebapps.marketplace.catalog.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.openwebapps.storage.Condition;
import org.openwebapps.storage.Mutation;
import org.openwebapps.storage.PreconditionFailedException;
import org.openwebapps.storage.StorageBackend;
import org.openwebapps.storage.StorageException;
import org.openwebapps.storage.StoredRecord;

/**
 * The apps in storage, all in one owner ({@link #CATALOG}) so that an app and its unique index
 * keys are written in one atomic conditional batch:
 * <pre>
 *   app/&lt;id&gt;          the app (JSON, {@link App})
 *   origin/&lt;origin&gt;   {"app": id}   unique origins (written ABSENT)
 *   slug/&lt;slug&gt;       {"app": id}   unique slugs (written ABSENT)
 *   next-id             {"next": n}  the id counter (written MATCH its last ETag)
 * </pre>
 * Catalog writes are rare (submissions and reviews), so one owner does not queue them; reads go
 * to {@link CatalogIndex}.
 */
final class CatalogStore {

    static final String CATALOG = "catalog";
    static final String APP_PREFIX = "app/";
    private static final String NEXT_ID = "next-id";
    /** Slug attempts and counter races before a submission gives up (503). */
    private static final int ATTEMPTS = 50;

    /** An app with the ETag of its stored version. */
    record Stored(App app, String etag) {
    }

    /** A change an operation applies to the current app; may refuse it. */
    @FunctionalInterface
    interface Change {
        App apply(App current) throws MarketplaceException;
    }

    private final MarketplaceStorage storage;

    CatalogStore(MarketplaceStorage storage) {
        this.storage = storage;
    }

    Optional<Stored> get(long id) throws StorageException {
        return storage.backend().get(storage.bucket(), CATALOG, APP_PREFIX + id)
                .map(record -> new Stored(App.fromBytes(record.value()), record.etag()));
    }

    /**
     * Stores a new app with the next id, a free slug made from its name, and its origin, all or nothing.
     *
     * @throws MarketplaceException 409 {@code origin_taken}
     */
    App create(String manifestUrl, String origin, ObjectNode manifest, String owner,
            long now) throws StorageException, MarketplaceException {
        StorageBackend backend = storage.backend();
        int slugAttempt = 1;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<StoredRecord> counter = backend.get(storage.bucket(), CATALOG, NEXT_ID);
            long id = counter.map(record -> json(record.value()).path("next").asLong()).orElse(1L);
            String slug = Slugs.fromName(manifest.path("name").asText(), slugAttempt);
            App app = App.submitted(id, slug, manifestUrl, origin, manifest, owner, now);
            List<Mutation> batch = List.of(
                    Mutation.put(NEXT_ID, bytes(Map.of("next", id + 1)),
                            counter.map(record -> Condition.match(record.etag())).orElse(Condition.absent())),
                    Mutation.put(APP_PREFIX + id, app.toBytes(), Condition.absent()),
                    Mutation.put(originKey(origin), bytes(Map.of("app", id)), Condition.absent()),
                    Mutation.put(slugKey(slug), bytes(Map.of("app", id)), Condition.absent()));
            try {
                backend.write(storage.bucket(), CATALOG, batch);
                return app;
            } catch (PreconditionFailedException e) {
                if (backend.get(storage.bucket(), CATALOG, originKey(origin)).isPresent()) {
                    throw new MarketplaceException(409, "origin_taken", "an app with origin " + origin + " exists");
                }
                if (backend.get(storage.bucket(), CATALOG, slugKey(slug)).isPresent()) {
                    slugAttempt++;
                }
                // else the counter moved: another submission took the id, try the next
            }
        }
        throw MarketplaceException.unavailable("too many concurrent submissions, try again");
    }

    /**
     * Applies {@code change} to the current app and stores it if the app did not change meanwhile
     * (else reads it again and reapplies), moving its slug index key when the slug changes.
     *
     * @throws MarketplaceException what {@code change} refuses, 404, or 409 {@code slug_taken}
     */
    App modify(long id, Change change) throws StorageException, MarketplaceException {
        StorageBackend backend = storage.backend();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Stored current = get(id).orElseThrow(MarketplaceException::notFound);
            App updated = change.apply(current.app());
            List<Mutation> batch = new ArrayList<>();
            batch.add(Mutation.put(APP_PREFIX + id, updated.toBytes(), Condition.match(current.etag())));
            boolean newSlug = !updated.slug().equals(current.app().slug());
            if (newSlug) {
                batch.add(Mutation.delete(slugKey(current.app().slug())));
                batch.add(Mutation.put(slugKey(updated.slug()), bytes(Map.of("app", id)), Condition.absent()));
            }
            try {
                backend.write(storage.bucket(), CATALOG, batch);
                return updated;
            } catch (PreconditionFailedException e) {
                if (newSlug && backend.get(storage.bucket(), CATALOG, slugKey(updated.slug())).isPresent()) {
                    throw new MarketplaceException(409, "slug_taken", "the slug " + updated.slug() + " is taken");
                }
                // changed meanwhile: apply the change to the new version
            }
        }
        throw MarketplaceException.unavailable("the app keeps changing, try again");
    }

    /** Deletes the app and frees its origin and slug, if it is still as {@code current} shows it. */
    void delete(Stored current) throws StorageException, MarketplaceException {
        App app = current.app();
        try {
            storage.backend().write(storage.bucket(), CATALOG, List.of(
                    Mutation.delete(APP_PREFIX + app.id(), Condition.match(current.etag())),
                    Mutation.delete(originKey(app.origin())),
                    Mutation.delete(slugKey(app.slug()))));
        } catch (PreconditionFailedException e) {
            throw new MarketplaceException(409, "bad_status", "the app changed meanwhile, try again");
        }
    }

    private static String originKey(String origin) {
        return "origin/" + origin;
    }

    private static String slugKey(String slug) {
        return "slug/" + slug;
    }

    static byte[] bytes(Object value) {
        try {
            return App.JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(byte[] bytes) {
        try {
            return App.JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("a stored record is not JSON", e);
        }
    }
}
