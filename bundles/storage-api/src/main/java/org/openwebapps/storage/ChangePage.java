package org.openwebapps.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A page of {@link StorageBackend#changesSince}: records and tombstones in (timestamp, key)
 * order, never ending inside a timestamp group.
 *
 * @param records the changes
 * @param more    whether later changes exist beyond this page
 */
public record ChangePage(List<StoredRecord> records, boolean more) {

    public ChangePage {
        records = List.copyOf(Objects.requireNonNull(records, "records"));
    }

    /** @return the timestamp of the last change on the page, or {@code after} when it is empty */
    public long until(long after) {
        return records.isEmpty() ? after : records.get(records.size() - 1).timestamp();
    }

    /**
     * Cuts a page from changes sorted by (timestamp, key).
     *
     * @param sorted the changes after the requested timestamp, in order: either all of them, or at
     *               least the first {@code limit + 1} and, when those all share one timestamp,
     *               that whole timestamp group
     * @param limit  the page size, at least 1
     * @return at most {@code limit} changes ending at a timestamp boundary, or the whole first
     *         group when it alone is larger than {@code limit}
     */
    public static ChangePage cut(List<StoredRecord> sorted, int limit) {
        if (sorted.size() <= limit) {
            return new ChangePage(sorted, false);
        }
        long boundary = sorted.get(limit).timestamp();
        int end = limit;
        while (end > 0 && sorted.get(end - 1).timestamp() == boundary) {
            end--;
        }
        if (end == 0) { // one group larger than a page: never split it
            end = limit;
            while (end < sorted.size() && sorted.get(end).timestamp() == boundary) {
                end++;
            }
            return new ChangePage(new ArrayList<>(sorted.subList(0, end)), end < sorted.size());
        }
        return new ChangePage(new ArrayList<>(sorted.subList(0, end)), true);
    }
}
