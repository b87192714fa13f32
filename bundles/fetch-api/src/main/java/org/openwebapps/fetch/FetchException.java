package org.openwebapps.fetch;

/**
 * A fetch that gave no answer. {@link #getMessage()} is safe to show a client: one generic
 * sentence per kind, the same whatever went wrong in transport, so failures reveal nothing about
 * networks the server can reach. {@link #detail()} says what happened, for the log at DEBUG.
 */
public final class FetchException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why there is no answer. */
    public enum Kind {
        /** The URL breaks the rules: scheme, address, port, or not a URL. */
        REFUSED("the URL is not allowed"),
        /** No usable answer in time: connect, TLS, protocol or deadline failure. */
        FAILED("could not fetch the URL"),
        /** The body is larger than the request allowed. */
        TOO_LARGE("the answer is too large"),
        /** Too many fetches in flight: try again later. */
        BUSY("too many fetches in flight, try again later");

        private final String message;

        Kind(String message) {
            this.message = message;
        }
    }

    private final Kind kind;
    private final String detail;

    public FetchException(Kind kind, String detail) {
        super(kind.message, null, false, false);
        this.kind = kind;
        this.detail = detail;
    }

    public Kind kind() {
        return kind;
    }

    /** @return what went wrong, for operators (may name addresses): log it at DEBUG only */
    public String detail() {
        return detail;
    }
}
