package org.openwebapps.sauropod.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.annotation.Annotation;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openwebapps.auth.AuthenticationException;
import org.openwebapps.auth.Authenticator;
import org.openwebapps.auth.Credential;
import org.openwebapps.auth.Identity;
import org.openwebapps.sauropod.SauropodException;
import org.openwebapps.sauropod.SauropodException.Reason;
import org.openwebapps.sauropod.Session;
import org.openwebapps.storage.StorageUnavailableException;

/** Sessions and the access rule; storage itself is exercised by the container tests. */
class SauropodServiceTest {

    private static final String KEYS = "k1:" + Base64.getEncoder().encodeToString(new byte[32]);

    /** Accepts credentials whose value is "ok:<email>", like a provider that verified them. */
    private static final Authenticator AUTHENTICATOR = credential -> {
        if (!credential.value().startsWith("ok:")) {
            throw new AuthenticationException(AuthenticationException.Kind.REJECTED, "invalid signature");
        }
        if (credential.value().equals("ok:down")) {
            throw new AuthenticationException(AuthenticationException.Kind.UNAVAILABLE, "remote verifier unreachable");
        }
        return new Identity(credential.value().substring(3), true, "idp.example", credential.audience(),
                Instant.now().plusSeconds(60), "browserid", Map.of());
    };

    private static SauropodService service(String audiences) {
        return new SauropodService(AUTHENTICATOR, config(audiences), Clock.systemUTC());
    }

    private static SauropodConfiguration config(String audiences) {
        return new SauropodConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SauropodConfiguration.class;
            }

            @Override
            public String[] audiences() {
                return new String[] {audiences};
            }

            @Override
            public int token_ttl_seconds() {
                return 3600;
            }

            @Override
            public int max_value_bytes() {
                return 1024;
            }

            @Override
            public int retry_after_seconds() {
                return 5;
            }

            @Override
            public String storage_target() {
                return "(storage.name=embedded)";
            }

            @Override
            public String _token_keys() {
                return KEYS;
            }
        };
    }

    private static Reason reason(ThrowingCall call) {
        return assertThrows(SauropodException.class, call::run).reason();
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void aSessionIsForTheNormalisedAudienceAndTheVerifiedEmail() throws Exception {
        Session session = service("https://app.example").startSession(
                new Credential("browserid", "ok:alice@example.com", "https://APP.example:443"));
        assertEquals("https://app.example", session.bucket());
        assertEquals("alice@example.com", session.user());
        assertEquals(session.user(), service("https://app.example").resume(session.token()).user());
    }

    @Test
    void onlyConfiguredAudiencesOwnBuckets() throws Exception {
        SauropodService sauropod = service("https://app.example");
        assertEquals(Reason.FORBIDDEN, reason(() -> sauropod.startSession(
                new Credential("browserid", "ok:alice@example.com", "https://other.example"))));
        assertEquals(Reason.INVALID, reason(() -> sauropod.startSession(
                new Credential("browserid", "ok:alice@example.com", "https://app.example/path"))));
        assertEquals("https://other.example", service("*").startSession(
                new Credential("browserid", "ok:alice@example.com", "https://other.example")).bucket());
    }

    @Test
    void credentialFailuresAre401AndProviderOutagesAre503() {
        SauropodService sauropod = service("https://app.example");
        assertEquals(Reason.UNAUTHENTICATED, reason(() -> sauropod.startSession(
                new Credential("browserid", "forged", "https://app.example"))));
        assertEquals(Reason.UNAVAILABLE, reason(() -> sauropod.startSession(
                new Credential("browserid", "ok:down", "https://app.example"))));
    }

    @Test
    void theAccessRuleNeedsBothTheBucketAndTheUser() throws Exception {
        SauropodService sauropod = service("https://app.example");
        Session alice = sauropod.startSession(new Credential("browserid", "ok:alice@example.com", "https://app.example"));

        assertEquals("alice@example.com", sauropod.records(alice, "https://app.example", "alice@example.com").user());
        assertEquals("alice@example.com", sauropod.records(alice, "https://APP.example", "alice@example.com").user());
        assertEquals(Reason.FORBIDDEN, reason(() -> sauropod.records(alice, "https://app.example", "bob@example.com")));
        assertEquals(Reason.FORBIDDEN, reason(() -> sauropod.records(alice, "https://other.example", "alice@example.com")));
        assertEquals(Reason.FORBIDDEN, reason(() -> sauropod.records(alice, "not an origin", "alice@example.com")));
    }

    @Test
    void withoutStorageRecordsAreUnavailable() throws Exception {
        SauropodService sauropod = service("https://app.example");
        Session alice = sauropod.startSession(new Credential("browserid", "ok:alice@example.com", "https://app.example"));
        var records = sauropod.records(alice, "https://app.example", "alice@example.com");
        assertThrows(StorageUnavailableException.class, () -> records.get("k"));
    }
}
