package org.openwebapps.appsync.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * AppSync's clock on the wire: seconds since the epoch with two decimals (10 ms), as JSON numbers;
 * storage counts milliseconds in multiples of 10, so each converts exactly into the other.
 */
final class SyncTime {

    /**
     * What a wire timestamp may look like, checked before any number is built (an exponent such as
     * {@code 1e999999999} would cost seconds of CPU or the heap): up to 12 digits (year 9999 and
     * beyond), then at most 6 decimals, which are rounded to 2 as the protocol says.
     */
    private static final Pattern SHAPE = Pattern.compile("[0-9]{1,12}(?:\\.[0-9]{0,6})?");
    /** Later than any real timestamp (year 9999): a {@code since} beyond it is refused. */
    private static final BigDecimal MAX_SECONDS = new BigDecimal("253402300799.99");

    private SyncTime() {
    }

    /**
     * @return {@code since} rounded half-even to two decimals
     * @throws NumberFormatException not of the shape above (signs, exponents, {@code NaN}, ...) or beyond year 9999
     */
    static BigDecimal parse(String since) {
        if (since == null) {
            return BigDecimal.ZERO.setScale(2);
        }
        String text = since.trim();
        if (!SHAPE.matcher(text).matches()) {
            throw new NumberFormatException("not digits with at most one dot and 6 decimals");
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
