package org.openwebapps.marketplace.payments.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import org.openwebapps.storage.Condition;
import org.openwebapps.storage.KeyRange;
import org.openwebapps.storage.Mutation;
import org.openwebapps.storage.StorageBackend;
import org.openwebapps.storage.StorageException;
import org.openwebapps.storage.StoredRecord;
import org.openwebapps.storage.Timestamps;

/**
 * Purchases and payment events in the Marketplace's bucket, through the storage SPI:
 * <pre>
 *   buyer:&lt;email&gt;          purchase/&lt;uuid&gt;             the purchase
 *                          open/&lt;app id&gt;              {"uuid"} while a purchase of the app is open
 *                          proof/&lt;sha-256&gt;            {"event"}: (provider, transaction, kind) applied
 *                          event/&lt;uuid&gt;/&lt;event key&gt;   {"shard"}: the purchase's events
 *   purchases-&lt;0..15&gt;      &lt;uuid&gt;                     {"buyer", "app"}: find a purchase by uuid
 *   payment-events-&lt;0..15&gt; &lt;event key&gt;                the event
 * </pre>
 * A buyer's purchases and their uniqueness keys share one owner, so opening a purchase (its
 * {@code open/} key absent) and each transition (the purchase unchanged since read, its
 * {@code proof/} key absent) are single atomic batches. Event keys sort newest first.
 */
final class PurchaseStore {

    static final String BUCKET = "marketplace";
    static final int SHARDS = 16;
    private static final int BATCH = 100;

    /** A record and the ETag it was read with. */
    record Read<T>(T value, String etag) {
    }

    /** The storage router as it is now. */
    @FunctionalInterface
    interface Backend {
        /** @throws org.openwebapps.storage.StorageUnavailableException no storage is installed */
        StorageBackend get() throws StorageException;
    }

    private final Backend backend;

    PurchaseStore(Backend backend) {
        this.backend = backend;
    }

    static String buyerOwner(String email) {
        return "buyer:" + email;
    }

    static String purchaseKey(String uuid) {
        return "purchase/" + uuid;
    }

    static String openKey(long app) {
        return "open/" + app;
    }

    static String proofKey(String provider, String transactionId, String kind) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] hash = digest.digest((provider + "\0" + transactionId + "\0" + kind).getBytes(StandardCharsets.UTF_8));
            return "proof/" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private static String lookupOwner(String uuid) {
        return "purchases-" + Math.floorMod(uuid.hashCode(), SHARDS);
    }

    private static String eventOwner(int shard) {
        return "payment-events-" + shard;
    }

    /** Records where to find a purchase by its uuid; written before the purchase itself. */
    void writeLookup(String uuid, String buyer, long app) throws StorageException {
        backend().put(BUCKET, lookupOwner(uuid), uuid, bytes(Map.of("buyer", buyer, "app", app)), Condition.absent());
    }

    Optional<Read<Purchase>> find(String uuid) throws StorageException {
        Optional<StoredRecord> lookup = backend().get(BUCKET, lookupOwner(uuid), uuid);
        if (lookup.isEmpty()) {
            return Optional.empty();
        }
        return get(json(lookup.get().value()).path("buyer").asText(), uuid);
    }

    Optional<Read<Purchase>> get(String buyer, String uuid) throws StorageException {
        return backend().get(BUCKET, buyerOwner(buyer), purchaseKey(uuid))
                .map(record -> new Read<>(Purchase.fromBytes(record.value()), record.etag()));
    }

    /** @return the open purchase of the app by the buyer, if any */
    Optional<Read<Purchase>> open(String buyer, long app) throws StorageException {
        Optional<StoredRecord> open = backend().get(BUCKET, buyerOwner(buyer), openKey(app));
        if (open.isEmpty()) {
            return Optional.empty();
        }
        return get(buyer, json(open.get().value()).path("uuid").asText());
    }

    boolean proven(String buyer, String proofKey) throws StorageException {
        return backend().get(BUCKET, buyerOwner(buyer), proofKey).isPresent();
    }

    /** Atomically, in the buyer's owner; @return the ETag of every key written */
    String write(String buyer, List<Mutation> mutations) throws StorageException {
        return Timestamps.etag(backend().write(BUCKET, buyerOwner(buyer), mutations));
    }

    /** @return the buyer's purchases, newest first */
    List<Purchase> list(String buyer) throws StorageException {
        StorageBackend storage = backend();
        List<Purchase> purchases = new ArrayList<>();
        String start = null;
        while (true) {
            List<String> keys = storage.listKeys(BUCKET, buyerOwner(buyer), new KeyRange("purchase/", start, null, BATCH));
            for (String key : keys) {
                storage.get(BUCKET, buyerOwner(buyer), key).map(record -> Purchase.fromBytes(record.value()))
                        .ifPresent(purchases::add);
            }
            if (keys.size() < BATCH) {
                break;
            }
            start = keys.get(keys.size() - 1) + "\0";
        }
        purchases.sort(Comparator.comparingLong(Purchase::created).reversed().thenComparing(Purchase::uuid));
        return purchases;
    }

    // --- events ------------------------------------------------------------------------------------------

    /** @return the event's ETag, to update its outcome with */
    String writeEvent(PaymentEvent event) throws StorageException {
        long written = backend().put(BUCKET, eventOwner(event.shard()), event.key(), event.toBytes(), Condition.absent());
        return Timestamps.etag(written);
    }

    void updateEvent(PaymentEvent event) throws StorageException {
        backend().put(BUCKET, eventOwner(event.shard()), event.key(), event.toBytes(), Condition.any());
    }

    /** A mutation for the buyer's batch: the purchase's index of its events. */
    static Mutation eventIndex(String uuid, PaymentEvent event) {
        return Mutation.put("event/" + uuid + "/" + event.key(), bytes(Map.of("shard", event.shard())), Condition.absent());
    }

    /** @return the purchase's events, newest first, at most {@code limit} */
    List<PaymentEvent> events(String buyer, String uuid, int limit) throws StorageException {
        StorageBackend storage = backend();
        List<PaymentEvent> events = new ArrayList<>();
        String prefix = "event/" + uuid + "/";
        for (String key : storage.listKeys(BUCKET, buyerOwner(buyer), new KeyRange(prefix, null, null, limit))) {
            Optional<StoredRecord> index = storage.get(BUCKET, buyerOwner(buyer), key);
            if (index.isPresent()) {
                storage.get(BUCKET, eventOwner(json(index.get().value()).path("shard").asInt()), key.substring(prefix.length()))
                        .map(record -> PaymentEvent.fromBytes(record.value())).ifPresent(events::add);
            }
        }
        return events;
    }

    /** @return every event, newest first, at most {@code limit} (merged from the shards) */
    List<PaymentEvent> events(int limit) throws StorageException {
        StorageBackend storage = backend();
        List<String> keys = new ArrayList<>();
        List<Integer> shards = new ArrayList<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            for (String key : storage.listKeys(BUCKET, eventOwner(shard), KeyRange.all(limit))) {
                keys.add(key);
                shards.add(shard);
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(keys::get));
        List<PaymentEvent> events = new ArrayList<>();
        for (int i : order.subList(0, Math.min(limit, order.size()))) {
            storage.get(BUCKET, eventOwner(shards.get(i)), keys.get(i)).map(record -> PaymentEvent.fromBytes(record.value()))
                    .ifPresent(events::add);
        }
        return events;
    }

    private StorageBackend backend() throws StorageException {
        return backend.get();
    }

    static byte[] bytes(Object json) {
        try {
            return Purchase.JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(byte[] bytes) {
        try {
            return Purchase.JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("a stored payments record is not JSON", e);
        }
    }
}
