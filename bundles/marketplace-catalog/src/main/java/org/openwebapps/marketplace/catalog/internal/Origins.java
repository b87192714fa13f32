package org.openwebapps.marketplace.catalog.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/** Origins as the Marketplace keys apps by them: {@code scheme://host[:port]}, lower case, no default port. */
final class Origins {

    /** Longest manifest URL accepted. */
    static final int MAX_URL_CHARS = 2048;
    /** Longest origin: its index key must fit the storage key limit. */
    static final int MAX_ORIGIN_CHARS = 200;

    private Origins() {
    }

    /**
     * @return the origin of an absolute http(s) URL without user info, or empty when {@code url}
     *         is not one (or is longer than {@link #MAX_URL_CHARS}, or its origin longer than
     *         {@link #MAX_ORIGIN_CHARS})
     */
    static Optional<String> ofUrl(String url) {
        if (url == null || url.isEmpty() || url.length() > MAX_URL_CHARS) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        return of(uri);
    }

    static Optional<String> of(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.isOpaque() || !(scheme.equals("http") || scheme.equals("https"))
                || uri.getHost() == null || uri.getRawUserInfo() != null) {
            return Optional.empty();
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        String origin = scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        return origin.length() > MAX_ORIGIN_CHARS ? Optional.empty() : Optional.of(origin);
    }

    /**
     * @return the origin that {@code value} spells exactly (no path, query or fragment; a
     *         {@code /} alone is a path too), normalised; empty otherwise
     */
    static Optional<String> exactOrigin(String value) {
        if (value == null || value.length() > MAX_URL_CHARS) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (!uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return Optional.empty();
        }
        return of(uri);
    }
}
