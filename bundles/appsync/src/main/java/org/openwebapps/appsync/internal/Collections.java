package org.openwebapps.appsync.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.openwebapps.sauropod.UserRecords;
import org.openwebapps.storage.Condition;
import org.openwebapps.storage.ChangePage;
import org.openwebapps.storage.Mutation;
import org.openwebapps.storage.PreconditionFailedException;
import org.openwebapps.storage.RecordAndChanges;
import org.openwebapps.storage.RecordNotFoundException;
import org.openwebapps.storage.StorageException;
import org.openwebapps.storage.StoredRecord;

/**
 * A user's collections in their Sauropod records. Collection {@code C} is the key
 * {@code C/meta} ({@code {"uuid": ...}}, or the {@code deleted} marker with a null uuid) and one
 * key {@code C/item/<origin>} per app document, stored as uploaded. Every write is one atomic
 * batch, so all documents of a POST share its timestamp, which storage makes strictly greater
 * than every earlier one of the user; a GET is the meta record plus the changes after
 * {@code since} (an index range), read in one storage call, never a scan of the collection.
 */
final class Collections {

    /** What a GET finds. */
    sealed interface Answer {
    }

    /** The collection was deleted: only the marker is answered. */
    record Deleted(String reason, String clientId) implements Answer {
    }

    /**
     * Documents changed after {@code since}, oldest first.
     *
     * @param documents  their JSON, as stored
     * @param until      the newest timestamp returned, or {@code since} when none
     * @param uuid       the collection's id, null before the first write
     * @param incomplete whether more changes wait after {@code until}
     */
    record Changes(List<byte[]> documents, long until, String uuid, boolean incomplete) implements Answer {
    }

    /** {@code lastget} was older than the collection's last change. */
    static final class Conflict extends Exception {
        private static final long serialVersionUID = 1L;

        Conflict() {
            super("the collection changed since lastget", null, false, false);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final int ATTEMPTS = 5;
    private static final int BATCH = 500;

    private Collections() {
    }

    static String metaKey(String collection) {
        return collection + "/meta";
    }

    static String itemKey(String collection, String origin) {
        return collection + "/item/" + origin;
    }

    static Answer read(UserRecords records, String collection, long sinceMillis, int pageSize) throws StorageException {
        RecordAndChanges read = records.getWithChangesSince(metaKey(collection), sinceMillis, pageSize);
        Optional<JsonNode> meta = read.record().map(record -> parse(record.value()));
        if (meta.isPresent() && meta.get().path("deleted").isObject()) {
            JsonNode deleted = meta.get().path("deleted");
            return new Deleted(deleted.path("reason").asText(""), deleted.path("client_id").asText(""));
        }
        ChangePage page = read.changes();
        String prefix = collection + "/item/";
        List<byte[]> documents = new ArrayList<>();
        long newestDocument = sinceMillis;
        long newestSeen = sinceMillis;
        for (StoredRecord record : page.records()) {
            newestSeen = Math.max(newestSeen, record.timestamp());
            if (!record.deleted() && record.key().startsWith(prefix)) {
                documents.add(record.value());
                newestDocument = Math.max(newestDocument, record.timestamp());
            }
        }
        String uuid = meta.map(m -> m.path("uuid").asText(null)).orElse(null);
        // An incomplete page continues after everything it covered, documents or not.
        return new Changes(documents, page.more() ? newestSeen : newestDocument, uuid, page.more());
    }

    /**
     * Stores the documents (upsert by origin, the last of equal origins wins), creating the
     * collection, or recreating it with a new uuid after a delete.
     *
     * @param lastgetMillis refuse the write when the collection changed after it; null: no check
     * @return the timestamp of the write
     */
    static long write(UserRecords records, String collection, List<ObjectNode> documents, Long lastgetMillis)
            throws StorageException, Conflict {
        Map<String, byte[]> byOrigin = new LinkedHashMap<>();
        for (ObjectNode document : documents) {
            try {
                byOrigin.put(document.get("origin").asText(), JSON.writeValueAsBytes(document));
            } catch (IOException e) {
                throw new IllegalStateException("a parsed document does not serialise", e);
            }
        }
        for (int attempt = 1;; attempt++) {
            if (lastgetMillis != null && changedAfter(records, collection, lastgetMillis)) {
                throw new Conflict();
            }
            Optional<StoredRecord> metaRecord = records.get(metaKey(collection));
            List<Mutation> mutations = new ArrayList<>();
            byOrigin.forEach((origin, bytes) -> mutations.add(Mutation.put(itemKey(collection, origin), bytes)));
            boolean live = metaRecord.map(r -> parse(r.value()).path("uuid").isTextual()).orElse(false);
            if (!live) {
                // created now (or recreated after a delete): a new uuid, written only if nobody
                // else created the collection meanwhile
                Condition unchanged = metaRecord.map(r -> Condition.match(r.etag())).orElse(Condition.absent());
                mutations.add(Mutation.put(metaKey(collection), json(Map.of("uuid", newUuid())), unchanged));
            }
            if (mutations.isEmpty()) {
                return -1;
            }
            try {
                return records.write(mutations);
            } catch (PreconditionFailedException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Marks the collection deleted (its uuid dropped) and deletes its documents written before the
     * marker; a document a client writes meanwhile (recreating the collection) stays.
     *
     * @return the timestamp of the marker
     */
    static long delete(UserRecords records, String collection, String clientId, String reason) throws StorageException {
        Map<String, Object> marker = new LinkedHashMap<>();
        marker.put("uuid", null);
        marker.put("deleted", Map.of("reason", reason, "client_id", clientId));
        long deletedAt = records.write(List.of(Mutation.put(metaKey(collection), json(marker))));
        String prefix = collection + "/item/";
        long after = 0;
        while (true) {
            ChangePage page = records.changesSince(after, BATCH);
            List<Mutation> deletes = new ArrayList<>();
            for (StoredRecord record : page.records()) {
                if (record.timestamp() < deletedAt && !record.deleted() && record.key().startsWith(prefix)) {
                    deletes.add(Mutation.delete(record.key(), Condition.match(record.etag())));
                }
            }
            deleteAll(records, deletes);
            long until = page.until(after);
            if (!page.more() || until >= deletedAt) {
                return deletedAt;
            }
            after = until;
        }
    }

    /** One batch; if a document changed meanwhile, the others one by one and that one kept. */
    private static void deleteAll(UserRecords records, List<Mutation> deletes) throws StorageException {
        if (deletes.isEmpty()) {
            return;
        }
        try {
            records.write(deletes);
        } catch (PreconditionFailedException | RecordNotFoundException e) {
            for (Mutation delete : deletes) {
                try {
                    records.write(List.of(delete));
                } catch (PreconditionFailedException | RecordNotFoundException changed) {
                    // rewritten since the marker: it belongs to the recreated collection
                }
            }
        }
    }

    private static boolean changedAfter(UserRecords records, String collection, long afterMillis) throws StorageException {
        String prefix = collection + "/";
        ChangePage page = records.changesSince(afterMillis, BATCH);
        return page.more() || page.records().stream().anyMatch(r -> r.key().startsWith(prefix));
    }

    private static JsonNode parse(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("a collection's meta record is not JSON", e);
        }
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String newUuid() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
