package org.openwebapps.appsync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthorizationHeaderTest {

    @Test
    void roundTripsInTheReferenceFormat() {
        String header = AuthorizationHeader.format("t@m.com", "v1.k1.abc.def");
        assertTrue(header.startsWith("AppSync :dEBtLmNvbQ==:"), header); // URL-safe base64 with padding
        assertEquals(Optional.of(new AuthorizationHeader.Credentials("t@m.com", "v1.k1.abc.def")),
                AuthorizationHeader.parse(header));
        // a client's own first part (the assertion) is carried along and ignored
        assertEquals("t@m.com", AuthorizationHeader.parse(header.replace("AppSync :", "AppSync YWJj:")).orElseThrow().email());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer x", "AppSync", "AppSync a:b", "AppSync a:b:c:d", "AppSync :!!!:dG9r", "AppSync ::dG9r",
        "AppSync :dEBtLmNvbQ==:"})
    void malformedHeadersAreNone(String header) {
        assertEquals(Optional.empty(), AuthorizationHeader.parse(header));
    }
}
