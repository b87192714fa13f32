package org.openwebapps.appsync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SyncTimeTest {

    @ParameterizedTest
    @CsvSource({"0, 0.00", "1323880001.275, 1323880001.28", "1323880001.265, 1323880001.26", "1.005, 1.00",
        "12, 12.00", "12., 12.00", "1323880001.123456, 1323880001.12", "253402300799.99, 253402300799.99"})
    void sinceIsRoundedHalfEvenToTwoDecimals(String since, String rounded) {
        assertEquals(rounded, SyncTime.parse(since).toPlainString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "NaN", "Infinity", "-Infinity", "abc", "1e400", "0x10", "1,5", "-1", "+1", "1e3",
        "1e10000000", "1e999999999", "1E-999999999", ".5", "1.1234567", "1.2.3", "1323880001270000", "999999999999.99"})
    void oddSinceValuesAreRefused(String since) {
        assertThrows(NumberFormatException.class, () -> SyncTime.parse(since));
    }

    @Test
    void secondsAndMillisecondsConvertExactly() {
        assertEquals(1_323_880_001_270L, SyncTime.millis(new BigDecimal("1323880001.27")));
        assertEquals("1323880001.27", SyncTime.seconds(1_323_880_001_270L).toPlainString());
        assertEquals("0.00", SyncTime.seconds(0).toPlainString());
        assertEquals("0.00", SyncTime.parse(null).toPlainString());
    }
}
