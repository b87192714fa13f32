package org.openwebapps.auth.browserid.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import org.openwebapps.browserid.BrowserIdException;

/**
 * Audience matching by origin: scheme, host and port must be equal, default ports filled in, no
 * path. What the relying party gives may also be {@code host:port} or a bare {@code host}, both
 * meaning {@code http}.
 */
final class Audiences {

    private Audiences() {
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
        URI want = origin(asserted, false);
        URI got = origin(expected, true);
        if (want == null || got == null) {
            throw new BrowserIdException("audience mismatch: domain mismatch");
        }
        if (!want.getScheme().equals(got.getScheme())) {
            throw new BrowserIdException("audience mismatch: scheme mismatch");
        }
        if (!want.getHost().equals(got.getHost())) {
            throw new BrowserIdException("audience mismatch: domain mismatch");
        }
        if (port(want) != port(got)) {
            throw new BrowserIdException("audience mismatch: port mismatch");
        }
    }

    /** @return the scheme://host:port of an audience, null when it is not one (or has a path) */
    private static URI origin(String audience, boolean relyingParty) throws BrowserIdException {
        if (audience == null || audience.length() > 2048) {
            return null;
        }
        String text = audience.trim();
        if (relyingParty && !text.contains("://")) {
            text = "http://" + text;
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (scheme == null || uri.getHost() == null
                    || !(scheme.equals("http") || scheme.equals("https") || scheme.equals("app"))) {
                return null;
            }
            String path = uri.getRawPath();
            if (path != null && !path.isEmpty() && !path.equals("/") || uri.getRawQuery() != null) {
                throw new BrowserIdException("audience mismatch: has non-empty path");
            }
            return new URI(scheme, null, uri.getHost().toLowerCase(Locale.ROOT), uri.getPort(), null, null, null);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static int port(URI origin) {
        if (origin.getPort() >= 0) {
            return origin.getPort();
        }
        return switch (origin.getScheme()) {
            case "https" -> 443;
            case "http" -> 80;
            default -> -1;
        };
    }
}
