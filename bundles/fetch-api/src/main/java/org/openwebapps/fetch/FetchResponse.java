package org.openwebapps.fetch;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An answer, read whole.
 *
 * @param uri     the URL that gave it (after any redirects followed)
 * @param status  the HTTP status
 * @param headers header names in lower case, each with its values in order
 * @param body    the body, at most the request's {@code maxBytes}
 */
public record FetchResponse(URI uri, int status, Map<String, List<String>> headers, byte[] body) {

    public FetchResponse {
        headers = Map.copyOf(headers);
    }

    /** @return the first value of a header, any case of its name */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** @return the media type without parameters, in lower case; empty when none was sent */
    public String mediaType() {
        String type = header("Content-Type").orElse("");
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}
