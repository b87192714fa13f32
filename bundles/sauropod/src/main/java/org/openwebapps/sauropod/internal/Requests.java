package org.openwebapps.sauropod.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Strict decoding of what clients send: percent-encoded path segments and form fields decoded
 * exactly once into well-formed UTF-8 (anything else is a 400, never a replacement character),
 * and request bodies as a form or a JSON object.
 */
final class Requests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Requests() {
    }

    /** Thrown for input that does not decode. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean unsupportedType;

        Malformed(String message) {
            this(message, false);
        }

        Malformed(String message, boolean unsupportedType) {
            super(message, null, false, false);
            this.unsupportedType = unsupportedType;
        }

        /** The body's media type is not one we read (415), rather than malformed (400). */
        boolean unsupportedType() {
            return unsupportedType;
        }
    }

    /** @return the percent-decoded text; {@code +} is a space only in forms */
    static String decode(String encoded, boolean form) throws Malformed {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    throw new Malformed("malformed percent-encoding");
                }
                int high = Character.digit(encoded.charAt(i + 1), 16);
                int low = Character.digit(encoded.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw new Malformed("malformed percent-encoding");
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c == '+' && form) {
                bytes.write(' ');
            } else if (c > 0x7F) {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            } else {
                bytes.write(c);
            }
        }
        return utf8(bytes.toByteArray());
    }

    /** @return the bytes as UTF-8 text, refusing malformed sequences */
    static String utf8(byte[] bytes) throws Malformed {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new Malformed("not valid UTF-8");
        }
    }

    /**
     * The string fields of a form ({@code application/x-www-form-urlencoded}, also assumed when
     * there is no Content-Type) or of a JSON object body (fields that are not strings are left out).
     *
     * @param contentType the request's Content-Type, or null
     */
    static Map<String, String> fields(String contentType, byte[] body) throws Malformed {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        Map<String, String> fields = new HashMap<>();
        if (type.startsWith("application/json")) {
            JsonNode root;
            try {
                root = JSON.readTree(utf8(body));
            } catch (JsonProcessingException e) {
                throw new Malformed("malformed JSON");
            }
            if (root == null || !root.isObject()) {
                throw new Malformed("the body must be a JSON object");
            }
            root.fields().forEachRemaining(field -> {
                if (field.getValue().isTextual()) {
                    fields.put(field.getKey(), field.getValue().asText());
                }
            });
            return fields;
        }
        if (type.isEmpty() || type.startsWith("application/x-www-form-urlencoded")) {
            String text = utf8(body);
            for (String pair : text.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals), true);
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1), true);
                fields.putIfAbsent(name, value);
            }
            return fields;
        }
        throw new Malformed("unsupported content type: send application/x-www-form-urlencoded or application/json", true);
    }

    /** @return the single entity tag of an If-Match/If-None-Match value, unquoted; empty for * */
    static Optional<String> entityTag(String header) throws Malformed {
        String value = header.trim();
        if (value.equals("*")) {
            return Optional.empty();
        }
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        if (value.isEmpty() || !value.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 0x80)) {
            throw new Malformed("unsupported entity tag: send one ETag this server gave");
        }
        return Optional.of(value);
    }
}
