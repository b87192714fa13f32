package org.openwebapps.sauropod.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Audience normalisation, which names buckets: lower-case scheme and host, {@code https} when no
 * scheme is given, default ports dropped, no path: {@code scheme://host[:port]}.
 */
final class Origins {

    private Origins() {
    }

    /** @return the normalised origin, or empty when {@code audience} is not an origin */
    static Optional<String> normalise(String audience) {
        if (audience == null || audience.isBlank() || audience.length() > 255) {
            return Optional.empty();
        }
        String text = audience.trim();
        if (!text.contains("://")) {
            text = "https://" + text;
        }
        try {
            URI uri = new URI(text);
            if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                    || uri.getRawFragment() != null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty()
                            || uri.getRawPath().equals("/"))) {
                return Optional.empty();
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("app")) {
                return Optional.empty();
            }
            int port = uri.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
