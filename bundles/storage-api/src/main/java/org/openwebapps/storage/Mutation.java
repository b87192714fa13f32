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
}
