package org.openwebapps.marketplace.payments;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A notification the provider proved it sent.
 *
 * @param kind          what happened
 * @param transactionId the provider's transaction
 * @param orderId       the purchase's uuid ({@link Order#uuid()})
 * @param amount        what was paid or paid back
 * @param currency      ISO 4217
 */
public record VerifiedEvent(Kind kind, String transactionId, String orderId, BigDecimal amount, String currency) {

    public enum Kind {
        PAID, FAILED, REFUNDED, CHARGEBACK
    }

    public VerifiedEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(orderId, "orderId");
    }
}
