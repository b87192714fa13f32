package org.openwebapps.payments.fake.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.openwebapps.marketplace.payments.PaymentException;
import org.openwebapps.marketplace.payments.VerifiedEvent;

/** The fake provider's notifications: what it signs it proves, and nothing else. */
class NotificationsTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final String AUDIENCE = "http://127.0.0.1:8080/marketplace/api/v1/payments/notify/fake";
    private static final long NOW = 1_700_000_000_000L;
    private static final VerifiedEvent PAID = new VerifiedEvent(VerifiedEvent.Kind.PAID, "fake-1",
            "6f1c1d8e-8c1a-4a47-9d3e-2b7b8a3c9d10", new BigDecimal("0.99"), "USD");

    private final Notifications notifications = new Notifications(SECRET);

    @Test
    void whatItSignsItProves() throws Exception {
        String jwt = notifications.sign(PAID, AUDIENCE, NOW);
        assertEquals(3, jwt.split("\\.").length);
        VerifiedEvent proven = notifications.prove(jwt.getBytes(StandardCharsets.US_ASCII), NOW + 1000);
        assertEquals(PAID.kind(), proven.kind());
        assertEquals(PAID.transactionId(), proven.transactionId());
        assertEquals(PAID.orderId(), proven.orderId());
        assertEquals(0, PAID.amount().compareTo(proven.amount()));
        assertEquals("USD", proven.currency());
        String header = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8);
        assertEquals(true, header.contains("\"HS256\""), header);
    }

    @Test
    void anotherSecretsNotificationIsRejected() {
        String jwt = new Notifications("another secret, also 32 bytes long".getBytes(StandardCharsets.UTF_8))
                .sign(PAID, AUDIENCE, NOW);
        assertRejected(jwt, NOW);
    }

    @Test
    void aChangedPayloadIsRejected() {
        String[] parts = notifications.sign(PAID, AUDIENCE, NOW).split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("0.99", "0.01");
        assertRejected(parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2], NOW);
    }

    @Test
    void expiredOrFutureNotificationsAreRejected() {
        String jwt = notifications.sign(PAID, AUDIENCE, NOW);
        assertRejected(jwt, NOW + 12 * 60_000L);
        assertRejected(jwt, NOW - 2 * 60_000L);
    }

    @Test
    void aNotificationForAnotherEndpointIsRejected() {
        assertRejected(notifications.sign(PAID, "http://127.0.0.1:8080/somewhere/else", NOW), NOW);
    }

    @Test
    void unsignedOrMalformedBodiesAreRejected() {
        String[] parts = notifications.sign(PAID, AUDIENCE, NOW).split("\\.");
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        assertRejected(none + "." + parts[1] + ".", NOW);
        assertRejected("", NOW);
        assertRejected("not a jwt", NOW);
        assertRejected("a.b.c", NOW);
        assertThrows(PaymentException.class, () -> notifications.prove(new byte[] {(byte) 0xff, 0x00, 0x2e}, NOW));
    }

    @Test
    void aShortSecretIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Notifications("short".getBytes(StandardCharsets.UTF_8)));
    }

    private void assertRejected(String jwt, long now) {
        PaymentException e = assertThrows(PaymentException.class,
                () -> notifications.prove(jwt.getBytes(StandardCharsets.US_ASCII), now));
        assertEquals(PaymentException.Kind.REJECTED, e.kind());
    }
}
