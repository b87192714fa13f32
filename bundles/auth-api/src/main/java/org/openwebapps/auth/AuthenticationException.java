package org.openwebapps.auth;

/**
 * A credential that did not prove an identity. The message is the reason, written for a log
 * reader and safe to return to the client (it never contains the credential).
 */
public class AuthenticationException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why authentication failed, as far as the caller must tell apart. */
    public enum Kind {
        /** The credential is malformed, forged, expired, for another audience or from an untrusted issuer: 401. */
        REJECTED,
        /** No provider of the credential's type is installed: 401. */
        NO_PROVIDER,
        /** The provider could not decide (its remote verifier is down, say): 503, try again later. */
        UNAVAILABLE
    }

    private final Kind kind;

    public AuthenticationException(Kind kind, String reason) {
        super(reason);
        this.kind = kind;
    }

    public AuthenticationException(Kind kind, String reason, Throwable cause) {
        super(reason, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
