package org.openwebapps.storage;

/**
 * Which keys {@link StorageBackend#listKeys} returns: those starting with {@code prefix}, at or
 * after {@code start} and before {@code end} (in UTF-8 byte order), at most {@code limit}.
 *
 * @param prefix keys must start with it; {@code ""} for all
 * @param start  inclusive lower bound, or {@code null}
 * @param end    exclusive upper bound, or {@code null}
 * @param limit  at least 1, at most {@link StorageLimits#maxListLimit()}
 */
public record KeyRange(String prefix, String start, String end, int limit) {

    public KeyRange {
        prefix = prefix == null ? "" : prefix;
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
    }

    /** All keys, up to {@code limit}. */
    public static KeyRange all(int limit) {
        return new KeyRange("", null, null, limit);
    }

    /** Whether {@code key} lies in this range (the limit aside). */
    public boolean contains(String key) {
        return key.startsWith(prefix)
                && (start == null || Keys.compare(key, start) >= 0)
                && (end == null || Keys.compare(key, end) < 0);
    }
}
