package org.openwebapps.appsync.api;

/** A write {@link AppSyncRecords} did not make. Nothing was written. */
public class AppSyncException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Kind {
        /** Storage cannot take the write now: retry later. */
        UNAVAILABLE,
        /** The documents or names break the protocol's rules: retrying does not help. */
        INVALID
    }

    private final Kind kind;

    public AppSyncException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
