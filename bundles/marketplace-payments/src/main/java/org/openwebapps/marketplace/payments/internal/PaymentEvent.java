package org.openwebapps.marketplace.payments.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A notification as received: stored before it is judged, then updated with its outcome
 * ({@code received} → {@code rejected}, {@code applied}, {@code duplicate} or {@code conflict}).
 * The raw body is kept as text when it is UTF-8, else as {@code raw_base64}.
 *
 * @param key where it is stored: newest first ({@code Long.MAX_VALUE − received µs}), then the id
 */
record PaymentEvent(String id, String key, int shard, long received, String provider, String raw, String rawBase64,
        String outcome, String kind, String transactionId, String purchase) {

    static PaymentEvent received(String provider, byte[] body, long receivedMicros) {
        String id = UUID.randomUUID().toString();
        String text = null;
        String base64 = null;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            base64 = Base64.getEncoder().encodeToString(body);
        }
        String key = String.format("%019d-%s", Long.MAX_VALUE - receivedMicros, id);
        return new PaymentEvent(id, key, Math.floorMod(id.hashCode(), PurchaseStore.SHARDS), receivedMicros / 1000,
                provider, text, base64, "received", null, null, null);
    }

    PaymentEvent judged(String verdict, String eventKind, String transaction, String purchaseUuid) {
        return new PaymentEvent(id, key, shard, received, provider, raw, rawBase64, verdict, eventKind, transaction,
                purchaseUuid);
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("received", received);
        json.put("provider", provider);
        json.put("raw", raw);
        if (rawBase64 != null) {
            json.put("raw_base64", rawBase64);
        }
        json.put("outcome", outcome);
        json.put("kind", kind);
        json.put("transaction_id", transactionId);
        json.put("purchase", purchase);
        return json;
    }

    byte[] toBytes() {
        Map<String, Object> json = toJson();
        json.put("key", key);
        json.put("shard", shard);
        return PurchaseStore.bytes(json);
    }

    static PaymentEvent fromBytes(byte[] bytes) {
        JsonNode json = PurchaseStore.json(bytes);
        return new PaymentEvent(json.path("id").asText(), json.path("key").asText(), json.path("shard").asInt(),
                json.path("received").asLong(), json.path("provider").asText(), text(json, "raw"), text(json, "raw_base64"),
                json.path("outcome").asText(), text(json, "kind"), text(json, "transaction_id"), text(json, "purchase"));
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
