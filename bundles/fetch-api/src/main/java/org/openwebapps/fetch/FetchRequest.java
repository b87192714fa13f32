package org.openwebapps.fetch;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What to fetch and within which limits. Built with {@link #get(URI)} or {@link #post(URI, String, byte[])}
 * and the {@code with...} methods; each returns a new request.
 *
 * @param uri          an absolute {@code https} URL ({@code http} only for development hosts)
 * @param method       {@code GET} or {@code POST}
 * @param headers      extra request headers (not {@code Host}, {@code Content-Length} or {@code Connection})
 * @param body         the body of a POST, else empty
 * @param deadline     the whole fetch: resolving, connecting, TLS, headers and body, redirects included
 * @param maxBytes     the largest body accepted
 * @param maxRedirects redirects followed (each target checked like the first URL); 0: none
 */
public record FetchRequest(URI uri, String method, Map<String, String> headers, byte[] body, Duration deadline,
        int maxBytes, int maxRedirects) {

    /** Defaults that suit a small JSON document. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;

    public FetchRequest {
        Objects.requireNonNull(uri, "uri");
        if (!"GET".equals(method) && !"POST".equals(method)) {
            throw new IllegalArgumentException("method must be GET or POST");
        }
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body.clone();
        if (deadline.isNegative() || deadline.isZero() || maxBytes < 0 || maxRedirects < 0) {
            throw new IllegalArgumentException("deadline must be positive, maxBytes and maxRedirects not negative");
        }
    }

    public static FetchRequest get(URI uri) {
        return new FetchRequest(uri, "GET", Map.of(), null, DEFAULT_DEADLINE, DEFAULT_MAX_BYTES, 0);
    }

    public static FetchRequest post(URI uri, String contentType, byte[] body) {
        return new FetchRequest(uri, "POST", Map.of("Content-Type", contentType), body, DEFAULT_DEADLINE,
                DEFAULT_MAX_BYTES, 0);
    }

    public FetchRequest withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new FetchRequest(uri, method, more, body, deadline, maxBytes, maxRedirects);
    }

    public FetchRequest withDeadline(Duration value) {
        return new FetchRequest(uri, method, headers, body, value, maxBytes, maxRedirects);
    }

    public FetchRequest withMaxBytes(int value) {
        return new FetchRequest(uri, method, headers, body, deadline, value, maxRedirects);
    }

    public FetchRequest withMaxRedirects(int value) {
        return new FetchRequest(uri, method, headers, body, deadline, maxBytes, value);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
