package org.openwebapps.sauropod.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RequestsTest {

    @Test
    void pathSegmentsAreDecodedOnceIntoUtf8() throws Exception {
        assertEquals("a/b%c", Requests.decode("a%2Fb%25c", false));
        assertEquals("%2F", Requests.decode("%252F", false)); // once, not twice
        assertEquals("ключ+", Requests.decode("%D0%BA%D0%BB%D1%8E%D1%87+", false));
        assertEquals("a b", Requests.decode("a+b", true));
    }

    @Test
    void malformedEncodingIsRefused() {
        assertThrows(Requests.Malformed.class, () -> Requests.decode("%zz", false));
        assertThrows(Requests.Malformed.class, () -> Requests.decode("%4", false));
        assertThrows(Requests.Malformed.class, () -> Requests.decode("%C3%28", false)); // invalid UTF-8
        assertThrows(Requests.Malformed.class, () -> Requests.decode("%ED%A0%80", false)); // a lone surrogate
    }

    @Test
    void formsAndJsonObjects() throws Exception {
        assertEquals(Map.of("value", "x y", "other", "1"),
                Requests.fields("application/x-www-form-urlencoded; charset=UTF-8", bytes("value=x+y&other=1")));
        assertEquals(Map.of("value", "v"), Requests.fields(null, bytes("value=v")));
        assertEquals(Map.of("value", "{\"a\":1}"), Requests.fields("application/json", bytes("{\"value\":\"{\\\"a\\\":1}\",\"n\":2}")));
        assertThrows(Requests.Malformed.class, () -> Requests.fields("application/json", bytes("[1]")));
        assertThrows(Requests.Malformed.class, () -> Requests.fields("application/json", bytes("{")));
        assertThrows(Requests.Malformed.class, () -> Requests.fields("text/plain", bytes("value=v")));
        assertThrows(Requests.Malformed.class, () -> Requests.fields(null, new byte[] {'v', '=', (byte) 0xC3, 0x28}));
    }

    @Test
    void entityTags() throws Exception {
        assertEquals(Optional.of("abc123"), Requests.entityTag("\"abc123\""));
        assertEquals(Optional.of("abc123"), Requests.entityTag("W/\"abc123\""));
        assertEquals(Optional.of("abc123"), Requests.entityTag("abc123"));
        assertEquals(Optional.empty(), Requests.entityTag("*"));
        assertThrows(Requests.Malformed.class, () -> Requests.entityTag("\"a\", \"b\""));
        assertThrows(Requests.Malformed.class, () -> Requests.entityTag("\"\""));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
