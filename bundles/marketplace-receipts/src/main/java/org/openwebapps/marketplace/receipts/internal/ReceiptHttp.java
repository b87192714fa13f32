package org.openwebapps.marketplace.receipts.internal;

import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.openwebapps.marketplace.PurchaseCheck;
import org.openwebapps.rest.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the receipt endpoints share: CORS for any origin (apps verify from their own pages), no caching. */
final class ReceiptHttp {

    private static final Logger LOG = LoggerFactory.getLogger(ReceiptHttp.class);

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

    /** A verdict that reads purchases (the verifier, reissue). */
    @FunctionalInterface
    interface Verdict {
        Response answer(Verifier.Purchases purchases) throws PurchaseCheck.UnavailableException;
    }

    /**
     * @param check the payments module's purchases, or null while it is not installed
     * @return the verdict, or 503 when the purchases cannot be read
     */
    static Response withPurchases(PurchaseCheck check, int retryAfterSeconds, Verdict verdict) {
        if (check == null) {
            return unavailable(retryAfterSeconds, "purchases cannot be read now: the payments module is not installed");
        }
        try {
            return verdict.answer(check::status);
        } catch (PurchaseCheck.UnavailableException e) {
            LOG.debug("No receipt verdict now: {}", e.getMessage());
            return unavailable(retryAfterSeconds, "purchases cannot be read now");
        }
    }

    static Response.ResponseBuilder cors(Response.ResponseBuilder response) {
        return response.header("Access-Control-Allow-Origin", "*");
    }

    /** The raw receipt: any content type, ASCII by construction (anything else fails to decode). */
    static String text(byte[] body) {
        return body == null ? "" : new String(body, StandardCharsets.ISO_8859_1);
    }
}
