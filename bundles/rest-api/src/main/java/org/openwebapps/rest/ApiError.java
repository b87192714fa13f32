package org.openwebapps.rest;

import java.util.Locale;
import java.util.Objects;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The JSON body of every error the server answers unless an endpoint's own protocol defines
 * another shape: {@code {"status":404,"error":"not_found","message":"..."}}.
 *
 * @param status  the HTTP status code, repeated for clients that only see the body
 * @param error   a stable machine-readable code: the status reason in snake case
 *                ({@code not_found}, {@code method_not_allowed}, ...) unless the endpoint sets
 *                a more specific one
 * @param message a human-readable explanation; never a stack trace, a secret or request data
 */
public record ApiError(int status, String error, String message) {

    public ApiError {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(message, "message");
    }

    /**
     * @param status  the response status
     * @param message a human-readable explanation
     * @return an error whose code is derived from the status
     */
    public static ApiError of(Response.StatusType status, String message) {
        return new ApiError(status.getStatusCode(), codeOf(status), message);
    }

    /**
     * @param status  the response status
     * @param message a human-readable explanation
     * @return a JSON response carrying this error shape
     */
    public static Response response(Response.StatusType status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(of(status, message)).build();
    }

    /**
     * @param status an HTTP status
     * @return the snake-case code for it, {@code "http_<code>"} when the status has no reason phrase
     */
    public static String codeOf(Response.StatusType status) {
        String reason = status.getReasonPhrase();
        if (reason == null || reason.isBlank()) {
            return "http_" + status.getStatusCode();
        }
        return reason.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    }
}
