package org.openwebapps.storage;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock tests can stop, set and step back; it follows the system clock until told otherwise. */
public final class MutableClock extends Clock {

    private static final long SYSTEM = Long.MIN_VALUE;
    private final AtomicLong fixed = new AtomicLong(SYSTEM);

    /** Stops the clock at {@code millis}. */
    public void set(long millis) {
        fixed.set(millis);
    }

    /** Lets the clock follow the system clock again. */
    public void useSystemTime() {
        fixed.set(SYSTEM);
    }

    @Override
    public long millis() {
        long value = fixed.get();
        return value == SYSTEM ? System.currentTimeMillis() : value;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}
