package org.openwebapps.auth.browserid.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openwebapps.browserid.BrowserIdException;

class CachedSupportDocumentsTest {

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        long millis = 1_000_000;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    private final TestClock clock = new TestClock();
    private final Map<String, Integer> fetches = new HashMap<>();
    private boolean failing;
    private final SupportDocumentSource source = (domain, principal) -> {
        fetches.merge(domain, 1, Integer::sum);
        if (failing) {
            throw new BrowserIdException(domain + " is not a browserid primary - could not connect");
        }
        return new SupportDocument.Disabled();
    };
    private final CachedSupportDocuments cache = new CachedSupportDocuments(source, clock, Duration.ofSeconds(60),
            Duration.ofSeconds(5), 2);

    @Test
    void documentsAreKeptForTheirTtl() throws Exception {
        cache.fetch("a.example", "a.example");
        cache.fetch("a.example", "a.example");
        assertEquals(1, fetches.get("a.example"));

        clock.millis += 60_000;
        cache.fetch("a.example", "a.example");
        assertEquals(2, fetches.get("a.example"));
    }

    @Test
    void failuresAreKeptBriefly() {
        failing = true;
        assertThrows(BrowserIdException.class, () -> cache.fetch("down.example", "down.example"));
        BrowserIdException again = assertThrows(BrowserIdException.class, () -> cache.fetch("down.example", "down.example"));
        assertEquals("down.example is not a browserid primary - could not connect", again.getMessage());
        assertEquals(1, fetches.get("down.example"));

        clock.millis += 5_000;
        failing = false;
        assertEquals(new SupportDocument.Disabled(), assertDoesNotFail("down.example"));
        assertEquals(2, fetches.get("down.example"));
    }

    @Test
    void theLeastRecentlyUsedIsEvictedBeyondTheBound() throws Exception {
        cache.fetch("a.example", "a.example");
        cache.fetch("b.example", "b.example");
        cache.fetch("a.example", "a.example");
        cache.fetch("c.example", "c.example"); // evicts b
        assertEquals(2, cache.size());

        cache.fetch("a.example", "a.example");
        assertEquals(1, fetches.get("a.example"));
        cache.fetch("b.example", "b.example");
        assertEquals(2, fetches.get("b.example"));
    }

    private SupportDocument assertDoesNotFail(String domain) {
        try {
            return cache.fetch(domain, domain);
        } catch (BrowserIdException | VerifierUnavailable e) {
            throw new AssertionError("fetch failed: " + e.getMessage(), e);
        }
    }
}
