package org.openwebapps.storage;

/**
 * The server timestamps of writes: milliseconds since the epoch, always a multiple of
 * {@link #RESOLUTION_MILLIS}, strictly increasing within one (bucket, user).
 *
 * <p>Why 10 ms: AppSync sends timestamps as seconds with two decimals; a finer stamp could give
 * two writes the same value on the wire, and a client asking "since" one of them would miss the
 * other.
 */
public final class Timestamps {

    /** Resolution of every timestamp. */
    public static final long RESOLUTION_MILLIS = 10;

    private Timestamps() {
    }

    /**
     * The timestamp of the next write after one stamped {@code last}.
     *
     * @param last the previous write's timestamp in the same (bucket, user), 0 if none
     * @param now  the clock's current time in milliseconds
     * @return the clock truncated to the resolution, or {@code last} plus one step when the
     *         clock has not passed {@code last} (standing still or stepped back)
     */
    public static long next(long last, long now) {
        return Math.max(truncate(now), last + RESOLUTION_MILLIS);
    }

    /** @return {@code now} rounded down to a multiple of {@link #RESOLUTION_MILLIS} */
    public static long truncate(long now) {
        return now - Math.floorMod(now, RESOLUTION_MILLIS);
    }

    /** @return the ETag of a record written at {@code timestamp} */
    public static String etag(long timestamp) {
        return Long.toString(timestamp, 36);
    }
}
