package org.openwebapps.storage;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The limits every backend enforces, and the validation that turns a breach into
 * {@link InvalidRequestException} before anything is written.
 *
 * @param maxValueBytes largest value in bytes (configured per backend)
 * @param maxBatchSize  most mutations in one write
 * @param maxListLimit  largest page of keys or changes
 */
public record StorageLimits(int maxValueBytes, int maxBatchSize, int maxListLimit) {

    /** Longest key, bucket or user name, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 256;
    /** Longest bucket or user name, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 255;

    /** 1 MiB values, batches of 1000, pages of 10,000. */
    public static StorageLimits defaults() {
        return new StorageLimits(1024 * 1024, 1000, 10_000);
    }

    public StorageLimits {
        if (maxValueBytes < 1 || maxBatchSize < 1 || maxListLimit < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** @return a copy with another value limit */
    public StorageLimits withMaxValueBytes(int bytes) {
        return new StorageLimits(bytes, maxBatchSize, maxListLimit);
    }

    public void checkNames(String bucket, String user) throws InvalidRequestException {
        checkText("bucket", bucket, MAX_NAME_BYTES);
        checkText("user", user, MAX_NAME_BYTES);
    }

    public void checkKey(String key) throws InvalidRequestException {
        checkText("key", key, MAX_KEY_BYTES);
    }

    public void checkMutations(List<Mutation> mutations) throws InvalidRequestException {
        if (mutations == null || mutations.isEmpty()) {
            throw new InvalidRequestException("a write needs at least one mutation");
        }
        if (mutations.size() > maxBatchSize) {
            throw new InvalidRequestException("a write holds at most " + maxBatchSize + " mutations, got "
                    + mutations.size());
        }
        Set<String> keys = new HashSet<>();
        for (Mutation mutation : mutations) {
            checkKey(mutation.key());
            if (!keys.add(mutation.key())) {
                throw new InvalidRequestException("a key appears twice in one write");
            }
            if (mutation.value() != null && mutation.value().length > maxValueBytes) {
                throw new InvalidRequestException("value larger than " + maxValueBytes + " bytes");
            }
        }
    }

    /** The records of {@link StorageBackend#replicate}: like a write's mutations, with valid timestamps. */
    public void checkRecords(List<StoredRecord> records) throws InvalidRequestException {
        if (records == null || records.size() > maxBatchSize) {
            throw new InvalidRequestException("a replication holds at most " + maxBatchSize + " records");
        }
        Set<String> keys = new HashSet<>();
        for (StoredRecord record : records) {
            checkKey(record.key());
            if (!keys.add(record.key())) {
                throw new InvalidRequestException("a key appears twice in one replication");
            }
            if (record.timestamp() <= 0 || record.timestamp() % Timestamps.RESOLUTION_MILLIS != 0) {
                throw new InvalidRequestException("a replicated timestamp must be a positive multiple of "
                        + Timestamps.RESOLUTION_MILLIS + " ms");
            }
            if (!record.deleted() && record.value().length > maxValueBytes) {
                throw new InvalidRequestException("value larger than " + maxValueBytes + " bytes");
            }
        }
    }

    public void checkLimit(int limit) throws InvalidRequestException {
        if (limit < 1 || limit > maxListLimit) {
            throw new InvalidRequestException("limit must be between 1 and " + maxListLimit + ", got " + limit);
        }
    }

    /** Non-empty, well-formed Unicode (no lone surrogate), no NUL, at most {@code maxBytes} in UTF-8. */
    private static void checkText(String what, String text, int maxBytes) throws InvalidRequestException {
        if (text == null || text.isEmpty()) {
            throw new InvalidRequestException(what + " must not be empty");
        }
        // one pass, no allocation: this runs on every call
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                throw new InvalidRequestException(what + " must not contain NUL");
            } else if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidRequestException(what + " is not well-formed Unicode");
            } else {
                bytes += 3;
            }
        }
        if (bytes > maxBytes) {
            throw new InvalidRequestException(what + " longer than " + maxBytes + " bytes in UTF-8");
        }
    }
}
