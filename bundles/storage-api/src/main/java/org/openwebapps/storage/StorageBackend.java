package org.openwebapps.storage;

import java.util.List;
import java.util.Optional;

import org.openwebapps.health.HealthResult;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One storage backend. Registered as an OSGi service with the property {@value #NAME_PROPERTY};
 * implementations are thread safe and called concurrently.
 *
 * <p>Data model: a bucket (an application's normalised origin) and a user (a verified email)
 * own a set of keys. Every write in one (bucket, user) gets a timestamp strictly greater than
 * any earlier one there (see {@link Timestamps}), also when the clock stands still or steps back.
 * A deleted key leaves a tombstone that {@link #changesSince} reports and {@link #get} hides.
 *
 * <p>Errors: {@link InvalidRequestException} for input that breaks {@link StorageLimits} (nothing
 * is written), {@link RecordNotFoundException}, {@link PreconditionFailedException},
 * {@link StorageUnavailableException} when the server cannot be reached in bounded time.
 */
@ConsumerType
public interface StorageBackend {

    /** Service property naming the backend ({@code "embedded"}, {@code "mysql"}, {@code "hbase"}). */
    String NAME_PROPERTY = "storage.name";

    /** @return this backend's name, the value of {@value #NAME_PROPERTY} */
    String name();

    /**
     * @return the live record under {@code key}, empty when there is none (or only a tombstone)
     * @throws StorageException invalid names, or the backend is unavailable
     */
    Optional<StoredRecord> get(String bucket, String user, String key) throws StorageException;

    /**
     * Applies all {@code mutations} atomically, with one new timestamp: either every condition
     * holds and every mutation is applied, or nothing is written.
     *
     * @param mutations one or more mutations on distinct keys, at most
     *                  {@link StorageLimits#maxBatchSize()}
     * @return the timestamp of the write, also the new ETag source of every written key
     * @throws PreconditionFailedException a mutation's condition does not hold
     * @throws RecordNotFoundException     a delete names a key that has no live record
     * @throws StorageException            invalid input, or the backend is unavailable
     */
    long write(String bucket, String user, List<Mutation> mutations) throws StorageException;

    /**
     * Lists live keys in ascending order of their UTF-8 bytes.
     *
     * @return at most {@code range.limit()} keys
     */
    List<String> listKeys(String bucket, String user, KeyRange range) throws StorageException;

    /**
     * Lists records and tombstones written after {@code after}, ordered by timestamp then key.
     * A page never ends inside a group of records sharing one timestamp (a group larger than
     * {@code limit} is returned whole), so asking again with the last timestamp misses nothing.
     *
     * @param after exclusive lower bound, a timestamp or 0
     * @param limit the page size, at least 1
     */
    ChangePage changesSince(String bucket, String user, long after, int limit) throws StorageException;

    /**
     * The current record of {@code key} (as {@link #get}) and the changes after {@code after} (as
     * {@link #changesSince}), in one round trip where the backend can: a sync poll reads its
     * collection's header record and what changed since the client last looked. The two parts
     * are read one after the other, not as one snapshot. This default makes the two calls.
     */
    default RecordAndChanges getWithChangesSince(String bucket, String user, String key, long after, int limit)
            throws StorageException {
        return new RecordAndChanges(get(bucket, user, key), changesSince(bucket, user, after, limit));
    }

    /**
     * Applies records exactly as another backend stored them: the same timestamps (so the same
     * ETags), tombstones included. For mirroring and replay: idempotent, and a record not newer
     * than the stored state of its key is ignored, so replaying twice or late does no harm. The
     * (bucket, user)'s last timestamp becomes at least the newest applied, so later writes here
     * stamp after it.
     *
     * @param records at most the batch limit, distinct keys
     */
    void replicate(String bucket, String user, List<StoredRecord> records) throws StorageException;

    /**
     * Lists the owners holding records or tombstones, in an order of the backend's choosing that
     * is the same from call to call. For whole-store work (consistency checks, repair), not for
     * request paths.
     *
     * @param after the last owner of the previous page, or {@code null} for the first page
     * @param limit the page size, at least 1, at most {@link StorageLimits#maxListLimit()}
     * @return at most {@code limit} owners; fewer means there are no more
     */
    List<Owner> owners(Owner after, int limit) throws StorageException;

    /**
     * @return whether the backend can serve now; must answer within a few seconds and never throw
     */
    HealthResult health();

    /** Writes one value. */
    default long put(String bucket, String user, String key, byte[] value, Condition condition)
            throws StorageException {
        return write(bucket, user, List.of(Mutation.put(key, value, condition)));
    }

    /** Deletes one live key. */
    default long delete(String bucket, String user, String key, Condition condition) throws StorageException {
        return write(bucket, user, List.of(Mutation.delete(key, condition)));
    }
}
