package org.openwebapps.auth.browserid.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

import org.openwebapps.auth.Audiences;
import org.openwebapps.browserid.BrowserIdException;

/**
 * Audience matching by origin, both sides normalised by the server's one rule
 * ({@link Audiences}: a bare host means {@code https}, as Sauropod and AppSync read it), with a
 * reason naming what differs.
 */
final class AudienceMatch {

    private AudienceMatch() {
    }

    /**
     * @param asserted the assertion's {@code aud}
     * @param expected the audience the relying party gave
     * @throws BrowserIdException "audience mismatch: ..." naming what differs
     */
    static void check(String asserted, String expected) throws BrowserIdException {
        if (expected == null || expected.isBlank()) {
            throw new BrowserIdException("audience mismatch: no audience given");
        }
        URI want = origin(asserted);
        URI got = origin(expected);
        if (want == null || got == null) {
            throw new BrowserIdException("audience mismatch: domain mismatch");
        }
        if (!want.getScheme().equals(got.getScheme())) {
            throw new BrowserIdException("audience mismatch: scheme mismatch");
        }
        if (!want.getHost().equals(got.getHost())) {
            throw new BrowserIdException("audience mismatch: domain mismatch");
        }
        if (want.getPort() != got.getPort()) {
            throw new BrowserIdException("audience mismatch: port mismatch");
        }
    }

    /** @return the normalised origin (default port dropped), null when it is none */
    private static URI origin(String audience) throws BrowserIdException {
        if (audience == null) {
            return null;
        }
        Optional<String> origin = Audiences.normalise(audience);
        if (origin.isEmpty()) {
            if (hasPath(audience)) {
                throw new BrowserIdException("audience mismatch: has non-empty path");
            }
            return null;
        }
        return URI.create(origin.get());
    }

    private static boolean hasPath(String audience) {
        try {
            URI uri = new URI(audience.contains("://") ? audience.trim() : "https://" + audience.trim());
            String path = uri.getRawPath();
            return uri.getHost() != null && (path != null && !path.isEmpty() && !path.equals("/") || uri.getRawQuery() != null);
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
