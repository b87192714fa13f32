package org.openwebapps.auth.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openwebapps.auth.AuthProvider;
import org.openwebapps.auth.AuthenticationException;
import org.openwebapps.auth.AuthenticationException.Kind;
import org.openwebapps.auth.Credential;
import org.openwebapps.auth.Identity;
import org.osgi.framework.Constants;

class ProviderAuthenticatorTest {

    private final ProviderAuthenticator authenticator = new ProviderAuthenticator();

    private static AuthProvider issuing(String issuer) {
        return credential -> new Identity("a@example.com", true, issuer, credential.audience(), Instant.EPOCH,
                credential.type(), Map.of());
    }

    private static Map<String, Object> properties(String type, int ranking, long id) {
        return Map.of(AuthProvider.TYPE, type, Constants.SERVICE_RANKING, ranking, Constants.SERVICE_ID, id);
    }

    @Test
    void theHighestRankedProviderOfTheTypeAnswers() throws Exception {
        authenticator.addProvider(issuing("low"), properties("browserid", 0, 1));
        AuthProvider high = issuing("high");
        authenticator.addProvider(high, properties("browserid", 10, 2));
        authenticator.addProvider(issuing("other type"), properties("token", 100, 3));

        assertEquals("high", authenticator.authenticate(new Credential("browserid", "x", "https://rp")).issuer());

        authenticator.removeProvider(high);
        assertEquals("low", authenticator.authenticate(new Credential("browserid", "x", "https://rp")).issuer());
    }

    @Test
    void aTypeWithoutProviderFailsCleanly() {
        authenticator.addProvider(issuing("x"), properties("token", 0, 1));
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> authenticator.authenticate(new Credential("browserid", "secret", "https://rp")));
        assertEquals(Kind.NO_PROVIDER, e.kind());
        assertEquals("no auth provider for credentials of type 'browserid' is installed", e.getMessage());
    }

    @Test
    void aProviderThatThrowsUncheckedIsAFailureNotACrash() {
        authenticator.addProvider(credential -> {
            throw new IllegalStateException("bundle stopping");
        }, properties("browserid", 0, 1));
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> authenticator.authenticate(new Credential("browserid", "secret", "https://rp")));
        assertEquals(Kind.UNAVAILABLE, e.kind());
    }
}
