package org.openwebapps.marketplace.receipts.internal;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON in printable ASCII: every other character is a backslash-u escape. Receipts are decoded with
 * {@code atob} by the stock checker, which yields bytes, not UTF-8 text.
 */
final class AsciiJson {

    static final JsonMapper MAPPER = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private AsciiJson() {
    }

    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the JSON, or null when the bytes are not JSON */
    static JsonNode read(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }
}
