package org.openwebapps.marketplace.payments.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.databind.JsonNode;

import org.openwebapps.marketplace.Accounts;
import org.openwebapps.marketplace.MarketplaceUser;

/** What the payments resources share: the error shape, JSON bodies, lists. */
final class PaymentsHttp {

    /** The API's root, as the catalog's. */
    static final String API = "/marketplace/api/v1";
    /** Largest request body of a buyer's request: a few fields. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    /** What one request does once parsed; may refuse. */
    @FunctionalInterface
    interface Action {
        Response run() throws PaymentsException;
    }

    private PaymentsHttp() {
    }

    static Response answer(Payments payments, Action action) {
        try {
            return action.run();
        } catch (PaymentsException e) {
            Response.ResponseBuilder error = Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(e.body());
            if (e.status() == 503) {
                error.header("Retry-After", payments.retryAfterSeconds());
            }
            return error.build();
        }
    }

    static Response json(int status, Object body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    /** A whole list in the catalog's {@code {meta, objects}} shape. */
    static Map<String, Object> list(List<?> objects) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("limit", objects.size());
        meta.put("offset", 0);
        meta.put("total_count", objects.size());
        meta.put("next", null);
        meta.put("previous", null);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("meta", meta);
        page.put("objects", objects);
        return page;
    }

    /** The body as a JSON object; empty: no fields. */
    static JsonNode object(byte[] body) throws PaymentsException {
        if (body == null || body.length == 0) {
            return Purchase.JSON.createObjectNode();
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new PaymentsException(413, "payload_too_large", "request bodies are at most " + MAX_BODY_BYTES + " bytes");
        }
        try {
            JsonNode json = Purchase.JSON.readTree(body);
            if (json == null || !json.isObject()) {
                throw badRequest("the body must be a JSON object");
            }
            return json;
        } catch (IOException e) {
            throw badRequest("the body is not valid JSON");
        }
    }

    /** @throws PaymentsException 401 without a valid Marketplace token */
    static MarketplaceUser user(Accounts accounts, String authorization, UriInfo uri) throws PaymentsException {
        try {
            return accounts.user(authorization, uri.getBaseUri());
        } catch (Accounts.NotSignedInException e) {
            throw new PaymentsException(401, "unauthorized", e.getMessage());
        }
    }

    static PaymentsException badRequest(String message) {
        return new PaymentsException(400, "bad_request", message);
    }
}
