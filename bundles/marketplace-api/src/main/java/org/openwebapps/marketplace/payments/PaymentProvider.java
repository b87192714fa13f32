package org.openwebapps.marketplace.payments;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A payment provider. Implementations are called concurrently and must not keep purchase state of
 * their own beyond what {@link #prepare} needs to answer the same key again.
 */
@ConsumerType
public interface PaymentProvider {

    /** The service property naming the provider: the {@code {provider}} of its notify URL. */
    String NAME = "payment.provider";

    /**
     * Starts (or, for a key seen before, finds again) the payment of an order.
     *
     * @param idempotencyKey the purchase's uuid: the same key answers the same session
     * @throws PaymentException {@code UNAVAILABLE} when the provider cannot be reached
     */
    ProviderSession prepare(Order order, String idempotencyKey) throws PaymentException;

    /**
     * Proves a notification the provider sent to the notify URL.
     *
     * @param headers the request's headers, names in lower case
     * @param body    the raw body
     * @throws PaymentException {@code REJECTED} when it is not proven (signature, format, expiry)
     */
    VerifiedEvent parseNotification(Map<String, List<String>> headers, byte[] body) throws PaymentException;

    /**
     * Asks the provider to pay a completed transaction back; the provider confirms with a
     * {@code REFUNDED} notification.
     *
     * @throws PaymentException {@code UNAVAILABLE} when the provider cannot be reached, {@code REJECTED}
     *                          when it refuses
     */
    void refund(String transactionId, BigDecimal amount, String reason) throws PaymentException;
}
