package org.openwebapps.storage;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link StorageBackend#getWithChangesSince} reads.
 *
 * @param record  the key's live record, empty when absent or deleted
 * @param changes the changes after the given timestamp
 */
public record RecordAndChanges(Optional<StoredRecord> record, ChangePage changes) {

    public RecordAndChanges {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(changes, "changes");
    }
}
