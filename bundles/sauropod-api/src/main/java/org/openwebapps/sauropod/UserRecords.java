package org.openwebapps.sauropod;

import java.util.List;
import java.util.Optional;

import org.openwebapps.storage.ChangePage;
import org.openwebapps.storage.KeyRange;
import org.openwebapps.storage.Mutation;
import org.openwebapps.storage.RecordAndChanges;
import org.openwebapps.storage.StorageException;
import org.openwebapps.storage.StoredRecord;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The records of one (bucket, user), opened through the access rule: nothing here can reach
 * another. The storage SPI's semantics and errors; {@code StorageUnavailableException} also when
 * no storage backend is installed.
 */
@ProviderType
public interface UserRecords {

    String bucket();

    String user();

    Optional<StoredRecord> get(String key) throws StorageException;

    /** @return the timestamp of the atomic batch */
    long write(List<Mutation> mutations) throws StorageException;

    List<String> listKeys(KeyRange range) throws StorageException;

    ChangePage changesSince(long after, int limit) throws StorageException;

    /** {@code get(key)} and {@code changesSince(after, limit)} in one storage call (a sync poll). */
    RecordAndChanges getWithChangesSince(String key, long after, int limit) throws StorageException;
}
