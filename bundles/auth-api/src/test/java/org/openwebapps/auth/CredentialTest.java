package org.openwebapps.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CredentialTest {

    @Test
    void aRequestNamesItsProviderOrGetsBrowserId() {
        assertEquals("example-token", Credential.of("example-token", "v", "https://a.example").type());
        assertEquals(Credential.DEFAULT_TYPE, Credential.of(null, "v", "https://a.example").type());
        assertEquals(Credential.DEFAULT_TYPE, Credential.of("", "v", "https://a.example").type());
    }

    @ParameterizedTest
    @ValueSource(strings = {"BrowserID", "a b", "-x", "x/y", "\u00e9", "0123456789012345678901234567890123456789012345678901234567890123456789"})
    void typesOfAnotherShapeAreRefused(String type) {
        assertEquals("invalid credential type",
                assertThrows(IllegalArgumentException.class, () -> Credential.of(type, "v", null)).getMessage());
    }
}
