package org.openwebapps.storage;

import java.util.Arrays;
import java.util.Objects;

/**
 * A record as stored: its key, its value ({@code null} for a tombstone), the timestamp of the
 * write that produced it, and whether it is a tombstone.
 */
public final class StoredRecord {

    private final String key;
    private final byte[] value;
    private final long timestamp;

    private StoredRecord(String key, byte[] value, long timestamp) {
        this.key = Objects.requireNonNull(key, "key");
        this.value = value;
        this.timestamp = timestamp;
    }

    /** A live record. */
    public static StoredRecord live(String key, byte[] value, long timestamp) {
        return new StoredRecord(key, Objects.requireNonNull(value, "value"), timestamp);
    }

    /** A tombstone left by a delete. */
    public static StoredRecord tombstone(String key, long timestamp) {
        return new StoredRecord(key, null, timestamp);
    }

    public String key() {
        return key;
    }

    /** @return a copy of the value, or {@code null} for a tombstone */
    public byte[] value() {
        return value == null ? null : value.clone();
    }

    public long timestamp() {
        return timestamp;
    }

    public boolean deleted() {
        return value == null;
    }

    /** @return the entity tag of this version of the record, derived from its timestamp */
    public String etag() {
        return Timestamps.etag(timestamp);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredRecord that && key.equals(that.key) && timestamp == that.timestamp
                && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, timestamp) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "StoredRecord[" + key + " @" + timestamp + (deleted() ? " deleted" : " " + value.length + " bytes") + "]";
    }
}
