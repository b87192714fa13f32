package org.openwebapps.marketplace.receipts.internal;

import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.openwebapps.rest.ApiError;

/** What the receipt endpoints share: CORS for any origin (apps verify from their own pages), no caching. */
final class ReceiptHttp {

    private ReceiptHttp() {
    }

    static Response json(int status, Object body) {
        return cors(Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body)).header("Cache-Control", "no-cache").build();
    }

    static Response preflight() {
        return cors(Response.noContent()).header("Access-Control-Allow-Methods", "POST, OPTIONS")
                .header("Access-Control-Allow-Headers", "Content-Type").header("Access-Control-Max-Age", 86_400).build();
    }

    static Response unavailable(int retryAfterSeconds, String message) {
        return cors(Response.status(503).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(503, "service_unavailable", message))).header("Retry-After", retryAfterSeconds).build();
    }

    static Response.ResponseBuilder cors(Response.ResponseBuilder response) {
        return response.header("Access-Control-Allow-Origin", "*");
    }

    /** The raw receipt: any content type, ASCII by construction (anything else fails to decode). */
    static String text(byte[] body) {
        return body == null ? "" : new String(body, StandardCharsets.ISO_8859_1);
    }
}
