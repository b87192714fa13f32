package org.openwebapps.marketplace.payments;

/** A provider could not do what was asked. */
public final class PaymentException extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** Not proven or refused: asking again will not help. */
        REJECTED,
        /** The provider cannot be reached now: ask again later. */
        UNAVAILABLE
    }

    private final Kind kind;

    public PaymentException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
