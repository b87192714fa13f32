package org.openwebapps.sauropod;

/**
 * A request Sauropod refuses, with the HTTP status its API answers. The message is safe to send
 * to the client.
 */
public class SauropodException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why, as far as callers must tell apart. */
    public enum Reason {
        /** No, expired, forged or unknown-key token: 401. */
        UNAUTHENTICATED(401),
        /** A valid token used for another bucket or user, or an audience that may not own a bucket: 403. */
        FORBIDDEN(403),
        /** Malformed input: 400. */
        INVALID(400),
        /** The credential's provider or the storage cannot answer now: 503, retry later. */
        UNAVAILABLE(503);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        /** @return the HTTP status of the API */
        public int status() {
            return status;
        }
    }

    private final Reason reason;

    public SauropodException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public SauropodException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
