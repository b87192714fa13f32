package org.openwebapps.storage;

import java.util.Objects;

/**
 * One change in a {@link StorageBackend#write} batch: a put (value present) or a delete.
 *
 * @param key       the key
 * @param value     the new value, or {@code null} to delete
 * @param condition what must hold for the batch to apply
 */
public record Mutation(String key, byte[] value, Condition condition) {

    public Mutation {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(condition, "condition");
    }

    public static Mutation put(String key, byte[] value) {
        return new Mutation(key, Objects.requireNonNull(value, "value"), Condition.any());
    }

    public static Mutation put(String key, byte[] value, Condition condition) {
        return new Mutation(key, Objects.requireNonNull(value, "value"), condition);
    }

    /** Deletes a live key; the batch fails with {@link RecordNotFoundException} if there is none. */
    public static Mutation delete(String key) {
        return new Mutation(key, null, Condition.any());
    }

    public static Mutation delete(String key, Condition condition) {
        return new Mutation(key, null, condition);
    }

    public boolean isDelete() {
        return value == null;
    }

    /**
     * Checks this mutation against the key's current state, as a backend must before applying it
     * (under whatever makes the check and the write atomic).
     *
     * @param current the stored record or tombstone under the key, or {@code null}
     * @throws PreconditionFailedException the condition does not hold
     * @throws RecordNotFoundException     a delete of a key that has no live record
     */
    public void checkAgainst(StoredRecord current) throws PreconditionFailedException, RecordNotFoundException {
        if (!condition.holdsFor(current)) {
            throw new PreconditionFailedException("condition " + condition.kind() + " does not hold");
        }
        if (isDelete() && (current == null || current.deleted())) {
            throw new RecordNotFoundException();
        }
    }
}
