package org.openwebapps.auth.browserid.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.openwebapps.browserid.BrowserIdException;

/**
 * A bounded cache in front of a {@link SupportDocumentSource}: documents live {@code ttl},
 * failures {@code failureTtl} (so a dead IdP is not asked on every login, yet recovers soon),
 * at most {@code maxEntries}, least recently used out first.
 */
final class CachedSupportDocuments implements SupportDocumentSource {

    private record Entry(SupportDocument document, BrowserIdException failure, long expiresAt) {
    }

    private final SupportDocumentSource source;
    private final Clock clock;
    private final long ttlMillis;
    private final long failureTtlMillis;
    private final Map<String, Entry> entries;

    CachedSupportDocuments(SupportDocumentSource source, Clock clock, Duration ttl, Duration failureTtl, int maxEntries) {
        this.source = source;
        this.clock = clock;
        this.ttlMillis = ttl.toMillis();
        this.failureTtlMillis = failureTtl.toMillis();
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > maxEntries;
            }
        };
    }

    @Override
    public SupportDocument fetch(String domain, String principalDomain) throws BrowserIdException, VerifierUnavailable {
        String key = domain + "?" + principalDomain;
        long now = clock.millis();
        Entry entry;
        synchronized (entries) {
            entry = entries.get(key);
        }
        if (entry == null || entry.expiresAt() <= now) {
            // Logins asking at once share one fetch (the fetcher's single flight); a busy fetcher
            // (VerifierUnavailable) is not a verdict on the domain and is not cached.
            try {
                entry = new Entry(source.fetch(domain, principalDomain), null, now + ttlMillis);
            } catch (BrowserIdException e) {
                entry = new Entry(null, e, now + failureTtlMillis);
            }
            synchronized (entries) {
                entries.put(key, entry);
            }
        }
        if (entry.failure() != null) {
            throw new BrowserIdException(entry.failure().getMessage());
        }
        return entry.document();
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
