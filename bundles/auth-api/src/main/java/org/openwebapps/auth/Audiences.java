package org.openwebapps.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The one audience normalisation of the server, used by every auth provider, Sauropod (it names
 * buckets) and AppSync, so that an audience means the same origin everywhere: lower-case scheme
 * and host, default ports dropped, no path: {@code scheme://host[:port]}. A bare {@code host} or
 * {@code host:port} means {@code https}. Schemes: {@code https}, {@code http}, {@code app}. User
 * info, a query, a fragment or a path make it no origin.
 */
public final class Audiences {

    private Audiences() {
    }

    /** @return the normalised origin, or empty when {@code audience} is not an origin */
    public static Optional<String> normalise(String audience) {
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
            if (port == 0 || port > 65535) {
                return Optional.empty();
            }
            boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
