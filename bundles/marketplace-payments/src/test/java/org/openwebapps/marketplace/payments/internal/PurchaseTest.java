package org.openwebapps.marketplace.payments.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.openwebapps.marketplace.payments.VerifiedEvent;

/** The contract's purchase state machine, and the stored form. */
class PurchaseTest {

    private static final String TRANSACTION = "t-1";

    private static Purchase in(String state) {
        Purchase started = Purchase.started("6f1c1d8e-8c1a-4a47-9d3e-2b7b8a3c9d10", 17, "https://game.example", "buyer@example", "fake",
                new BigDecimal("0.99"), "USD", 1, 1000);
        return state.equals(Purchase.PENDING) ? started
                : started.paid(TRANSACTION, 2000).withState(state, 3000);
    }

    @ParameterizedTest(name = "{1} on {0} → {3}")
    @CsvSource(nullValues = "-", value = {
            "PENDING, PAID, t-1, COMPLETED",
            "PENDING, FAILED, t-1, FAILED",
            "PENDING, REFUNDED, t-1, -",
            "PENDING, CHARGEBACK, t-1, -",
            "COMPLETED, PAID, t-1, -",
            "COMPLETED, PAID, t-2, -",
            "COMPLETED, FAILED, t-1, -",
            "COMPLETED, REFUNDED, t-1, REFUNDED",
            "COMPLETED, REFUNDED, t-2, -",
            "COMPLETED, CHARGEBACK, t-1, CHARGEBACK",
            "REFUND_PENDING, REFUNDED, t-1, REFUNDED",
            "REFUND_PENDING, CHARGEBACK, t-1, CHARGEBACK",
            "REFUND_PENDING, PAID, t-1, -",
            "CANCELLED, PAID, t-1, -",
            "FAILED, PAID, t-1, -",
            "REFUNDED, REFUNDED, t-1, -",
            "REFUNDED, CHARGEBACK, t-1, -",
            "CHARGEBACK, REFUNDED, t-1, -"})
    void transitionsAreTheContracts(String state, String kind, String transaction, String next) {
        VerifiedEvent event = new VerifiedEvent(VerifiedEvent.Kind.valueOf(kind), transaction, "order",
                new BigDecimal("0.99"), "USD");
        assertEquals(next, in(state).after(event));
    }

    @Test
    void aPaymentOfAnotherAmountOrCurrencyIsAConflict() {
        assertNull(in(Purchase.PENDING).after(new VerifiedEvent(VerifiedEvent.Kind.PAID, "t", "o", new BigDecimal("0.01"), "USD")));
        assertNull(in(Purchase.PENDING).after(new VerifiedEvent(VerifiedEvent.Kind.PAID, "t", "o", new BigDecimal("0.99"), "EUR")));
        assertNull(in(Purchase.PENDING).after(new VerifiedEvent(VerifiedEvent.Kind.PAID, "t", "o", null, "USD")));
        assertEquals(Purchase.COMPLETED,
                in(Purchase.PENDING).after(new VerifiedEvent(VerifiedEvent.Kind.PAID, "t", "o", new BigDecimal("0.990"), "USD")));
    }

    @Test
    void theReceiptIsShownOnlyWhilePaid() {
        Purchase completed = in(Purchase.PENDING).paid(TRANSACTION, 2000).withReceipt("cert~receipt");
        assertEquals("cert~receipt", completed.toJson().get("receipt"));
        assertEquals("cert~receipt", completed.withState(Purchase.REFUND_PENDING, 3000).toJson().get("receipt"));
        assertNull(completed.withState(Purchase.REFUNDED, 3000).toJson().get("receipt"));
        assertTrue(completed.isOpen());
        assertFalse(completed.withState(Purchase.CHARGEBACK, 3000).isOpen());
    }

    @Test
    void theStoredFormKeepsEverything() {
        Purchase purchase = in(Purchase.PENDING).withSession("s-1", "http://127.0.0.1/pay/s-1").paid(TRANSACTION, 2000)
                .flagged(2500).withReceipt("cert~receipt");
        assertEquals(purchase, Purchase.fromBytes(purchase.toBytes()));
        assertFalse(purchase.toJson().containsKey("buyer"), "the purchase JSON is the contract's");
        assertEquals(2000L, purchase.completed());
    }
}
