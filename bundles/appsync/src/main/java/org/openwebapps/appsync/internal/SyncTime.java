package org.openwebapps.appsync.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * AppSync's clock on the wire: seconds since the epoch with two decimals (10 ms), as JSON numbers;
 * storage counts milliseconds in multiples of 10, so each converts exactly into the other.
 */
final class SyncTime {

    /** Later than any real timestamp (year 9999): a {@code since} beyond it is refused. */
    private static final BigDecimal MAX_SECONDS = new BigDecimal("253402300799.99");

    private SyncTime() {
    }

    /**
     * @return {@code since} rounded half-even to two decimals
     * @throws NumberFormatException empty, {@code NaN}, {@code Infinity}, not a number, or beyond year 9999
     */
    static BigDecimal parse(String since) {
        if (since == null) {
            return BigDecimal.ZERO.setScale(2);
        }
        String text = since.trim();
        if (text.isEmpty() || text.length() > 64) {
            throw new NumberFormatException("empty or overlong");
        }
        BigDecimal value = new BigDecimal(text).setScale(2, RoundingMode.HALF_EVEN);
        if (value.abs().compareTo(MAX_SECONDS) > 0) {
            throw new NumberFormatException("out of range");
        }
        return value;
    }

    /** @return the storage milliseconds of wire seconds */
    static long millis(BigDecimal seconds) {
        return seconds.movePointRight(3).longValueExact();
    }

    /** @return the wire seconds of storage milliseconds */
    static BigDecimal seconds(long millis) {
        return BigDecimal.valueOf(millis).movePointLeft(3).setScale(2, RoundingMode.HALF_EVEN);
    }
}
