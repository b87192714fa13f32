package org.openwebapps.marketplace.payments.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.openwebapps.marketplace.payments.VerifiedEvent;

/**
 * A purchase as stored, and the contract's state machine: {@code PENDING → COMPLETED | FAILED |
 * CANCELLED}, {@code COMPLETED → REFUND_PENDING → REFUNDED}, {@code COMPLETED | REFUND_PENDING →
 * REFUNDED | CHARGEBACK}. The fields the buyer never sees (the provider's session) stay out of
 * {@link #toJson()}; {@code origin} is the app's when it was bought, the product of its receipts.
 */
record Purchase(String uuid, long app, String origin, String buyer, String state, String provider, String sessionId,
        String redirectUrl, String transactionId, BigDecimal amount, String currency, int priceTier, long created,
        long modified, long completed, boolean needsReview, String receipt) {

    static final String PENDING = "PENDING";
    static final String COMPLETED = "COMPLETED";
    static final String FAILED = "FAILED";
    static final String CANCELLED = "CANCELLED";
    static final String REFUND_PENDING = "REFUND_PENDING";
    static final String REFUNDED = "REFUNDED";
    static final String CHARGEBACK = "CHARGEBACK";
    /** The states that block a new purchase of the same app by the same user. */
    static final Set<String> OPEN = Set.of(PENDING, COMPLETED, REFUND_PENDING);
    static final ObjectMapper JSON = new ObjectMapper();

    static Purchase started(String uuid, long app, String origin, String buyer, String provider, BigDecimal amount,
            String currency, int priceTier, long now) {
        return new Purchase(uuid, app, origin, buyer, PENDING, provider, null, null, null, amount, currency, priceTier, now, now,
                0, false, null);
    }

    boolean isOpen() {
        return OPEN.contains(state);
    }

    /** Whether the buyer holds the app: what the install path and the verifier accept. */
    boolean isPaid() {
        return state.equals(COMPLETED) || state.equals(REFUND_PENDING);
    }

    /**
     * @return the state this proven event moves the purchase to, or null when the contract does not
     *         allow it from here (a conflict)
     */
    String after(VerifiedEvent event) {
        return switch (event.kind()) {
            case PAID -> state.equals(PENDING) && event.amount() != null && event.amount().compareTo(amount) == 0
                    && currency.equals(event.currency()) ? COMPLETED : null;
            case FAILED -> state.equals(PENDING) ? FAILED : null;
            case REFUNDED -> isPaid() && event.transactionId().equals(transactionId) ? REFUNDED : null;
            case CHARGEBACK -> isPaid() && event.transactionId().equals(transactionId) ? CHARGEBACK : null;
        };
    }

    /** @param now also the completion time, the first time the purchase is {@code COMPLETED} */
    Purchase withState(String next, long now) {
        return new Purchase(uuid, app, origin, buyer, next, provider, sessionId, redirectUrl, transactionId, amount, currency,
                priceTier, created, now, next.equals(COMPLETED) && completed == 0 ? now : completed, needsReview,
                next.equals(COMPLETED) || next.equals(REFUND_PENDING) ? receipt : null);
    }

    Purchase paid(String transaction, long now) {
        return new Purchase(uuid, app, origin, buyer, COMPLETED, provider, sessionId, redirectUrl, transaction, amount, currency,
                priceTier, created, now, now, needsReview, receipt);
    }

    Purchase withSession(String session, String redirect) {
        return new Purchase(uuid, app, origin, buyer, state, provider, session, redirect, transactionId, amount, currency,
                priceTier, created, modified, completed, needsReview, receipt);
    }

    Purchase flagged(long now) {
        return new Purchase(uuid, app, origin, buyer, state, provider, sessionId, redirectUrl, transactionId, amount, currency,
                priceTier, created, now, completed, true, receipt);
    }

    Purchase withReceipt(String issued) {
        return new Purchase(uuid, app, origin, buyer, state, provider, sessionId, redirectUrl, transactionId, amount, currency,
                priceTier, created, modified, completed, needsReview, issued);
    }

    /** The contract's purchase JSON. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("uuid", uuid);
        json.put("app", app);
        json.put("state", state);
        json.put("provider", provider);
        json.put("transaction_id", transactionId);
        json.put("amount", amount.toPlainString());
        json.put("currency", currency);
        json.put("price_tier", priceTier);
        json.put("created", created);
        json.put("modified", modified);
        json.put("needs_review", needsReview);
        json.put("receipt", isPaid() ? receipt : null);
        return json;
    }

    byte[] toBytes() {
        Map<String, Object> json = toJson();
        json.put("origin", origin);
        json.put("buyer", buyer);
        json.put("session_id", sessionId);
        json.put("redirect_url", redirectUrl);
        json.put("completed", completed);
        json.put("receipt", receipt);
        try {
            return JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Purchase fromBytes(byte[] bytes) {
        JsonNode json;
        try {
            json = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("a stored purchase is not JSON", e);
        }
        return new Purchase(json.path("uuid").asText(), json.path("app").asLong(), text(json, "origin"),
                json.path("buyer").asText(),
                json.path("state").asText(), json.path("provider").asText(), text(json, "session_id"),
                text(json, "redirect_url"), text(json, "transaction_id"), new BigDecimal(json.path("amount").asText()),
                json.path("currency").asText(), json.path("price_tier").asInt(), json.path("created").asLong(),
                json.path("modified").asLong(), json.path("completed").asLong(), json.path("needs_review").asBoolean(),
                text(json, "receipt"));
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
