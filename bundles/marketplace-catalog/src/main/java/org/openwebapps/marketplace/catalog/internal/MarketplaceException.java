package org.openwebapps.marketplace.catalog.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the Marketplace refuses: answered as {@code {"status","error","message"}} plus any
 * extra fields (the validation report of {@code invalid_manifest}). The message is safe to send.
 */
final class MarketplaceException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;
    private final transient Map<String, Object> extra;

    MarketplaceException(int status, String error, String message) {
        this(status, error, message, Map.of());
    }

    MarketplaceException(int status, String error, String message, Map<String, Object> extra) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.extra = Map.copyOf(extra);
    }

    static MarketplaceException badRequest(String message) {
        return new MarketplaceException(400, "bad_request", message);
    }

    static MarketplaceException notFound() {
        return new MarketplaceException(404, "not_found", "no such app");
    }

    static MarketplaceException forbidden(String message) {
        return new MarketplaceException(403, "forbidden", message);
    }

    static MarketplaceException badStatus(String status) {
        return new MarketplaceException(409, "bad_status", "not allowed while the app is " + status);
    }

    static MarketplaceException unavailable(String message) {
        return new MarketplaceException(503, "service_unavailable", message);
    }

    int status() {
        return status;
    }

    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", error);
        body.put("message", getMessage());
        body.putAll(extra);
        return body;
    }
}
