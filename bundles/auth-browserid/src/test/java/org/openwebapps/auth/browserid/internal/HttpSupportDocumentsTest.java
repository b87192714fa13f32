package org.openwebapps.auth.browserid.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openwebapps.browserid.Algorithm;
import org.openwebapps.browserid.BrowserIdException;
import org.openwebapps.fetch.http.internal.TestFetchers;
import org.openwebapps.itests.browserid.TestIdp;

/** Support documents fetched from a real IdP over HTTP, and every way that goes wrong. */
class HttpSupportDocumentsTest {

    private static final String LOOPBACK = "127.0.0.1";
    /** Guards against a hang; far above every deadline used here, so it measures nothing. */
    private static final Duration HANG = Duration.ofSeconds(30);

    private TestIdp idp;
    private HttpSupportDocuments documents;

    @BeforeEach
    void start() throws Exception {
        idp = TestIdp.start(Algorithm.RS256);
        documents = new HttpSupportDocuments(TestFetchers.allowingLocal(LOOPBACK), Duration.ofMillis(500), false);
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    private String reason() {
        return assertThrows(BrowserIdException.class, () -> documents.fetch(idp.domain(), idp.domain())).getMessage();
    }

    @Test
    void supportDisabledAndDelegation() throws Exception {
        SupportDocument.Supported supported = assertInstanceOf(SupportDocument.Supported.class,
                documents.fetch(idp.domain(), idp.domain()));
        assertEquals(1, supported.keys().size());

        idp.serveDisabled();
        assertInstanceOf(SupportDocument.Disabled.class, documents.fetch(idp.domain(), idp.domain()));

        idp.delegateTo("other.example");
        assertEquals(new SupportDocument.Delegated("other.example"), documents.fetch(idp.domain(), idp.domain()));
    }

    @Test
    void keyRotationPublishesOldAndNewKeys() throws Exception {
        idp.rotateKey(Algorithm.DS128);
        SupportDocument.Supported supported = assertInstanceOf(SupportDocument.Supported.class,
                documents.fetch(idp.domain(), idp.domain()));
        assertEquals(3, supported.keys().size()); // public-key (the new one) and keys[] (old, new)
    }

    @Test
    void transportFailuresMeanNotAPrimary() {
        idp.serveRedirect();
        assertEquals(idp.domain() + " is not a browserid primary - redirection not supported", reason());

        idp.serve(404, "application/json", "{}");
        assertEquals(idp.domain() + " is not a browserid primary - non-200 response code to /.well-known/browserid",
                reason());

        idp.serveSupport();
        idp.serve(200, "text/html", "<html>");
        assertEquals(idp.domain() + " is not a browserid primary - non \"application/json\" response", reason());

        idp.serveSlowly(Duration.ofSeconds(5));
        assertEquals(idp.domain() + " is not a browserid primary - could not fetch its support document", reason());
    }

    @Test
    void aTricklingIdpIsCutOffAtTheDeadline() {
        idp.serveTrickling(Duration.ofMillis(20)); // a 1 KB document would take ~20 s
        String reason = assertTimeoutPreemptively(HANG, this::reason);
        assertEquals(idp.domain() + " is not a browserid primary - could not fetch its support document", reason);
        assertTimeoutPreemptively(HANG, () -> {
            while (idp.openRequests() > 0) {
                Thread.onSpinWait(); // the fetcher hung up: the IdP's write fails and its request ends
            }
        });
    }

    @Test
    void anEndlessDocumentIsCutAtTheSizeCap() {
        idp.serveEndless();
        String reason = assertTimeoutPreemptively(HANG, this::reason);
        assertEquals(idp.domain() + " is not a browserid primary - could not fetch its support document", reason);
    }

    @Test
    void withoutTheAllowListTheLoopbackIsNeverContacted() {
        HttpSupportDocuments production = new HttpSupportDocuments(TestFetchers.allowingLocal(), Duration.ofMillis(500), false);
        BrowserIdException e = assertThrows(BrowserIdException.class, () -> production.fetch(idp.domain(), idp.domain()));
        // the same reason as any transport failure: no port scanning through the verifier
        assertEquals(idp.domain() + " is not a browserid primary - could not fetch its support document", e.getMessage());
        assertEquals(0, idp.fetches());
    }

    @Test
    void domainsThatPassAPatternButAreNoHostAreRefusedCleanly() {
        for (String domain : new String[] {"127.1", "a..b", "foo.123", "x:99999", "x:0", "-a.example", "a-.example",
                "2130706433", "0x7f000001", "a.example."}) {
            BrowserIdException e = assertThrows(BrowserIdException.class, () -> documents.fetch(domain, domain), domain);
            assertEquals(domain + " is not a browserid primary - invalid domain", e.getMessage());
        }
        assertEquals(0, idp.fetches());
    }

    @Test
    void aStoppedIdpCannotBeReached() {
        String domain = idp.domain();
        idp.close();
        BrowserIdException e = assertThrows(BrowserIdException.class, () -> documents.fetch(domain, domain));
        assertEquals(domain + " is not a browserid primary - could not fetch its support document", e.getMessage());
    }

    @Test
    void brokenDocuments() {
        String bad = "bad support document for '" + idp.domain() + "': ";
        idp.serve(200, "application/json", "{not json");
        assertEquals(bad + "not JSON", reason());

        idp.serve(200, "application/json", "[]");
        assertEquals(bad + "not a JSON object", reason());

        idp.serve(200, "application/json", "{\"provisioning\":\"/p\",\"public-key\":{}}");
        assertEquals(bad + "support document missing required property: 'authentication'", reason());

        idp.serve(200, "application/json", "{\"authentication\":\"auth\",\"provisioning\":\"/p\"}");
        assertEquals(bad + "'authentication' must be a path starting with /", reason());

        idp.serve(200, "application/json", "{\"authentication\":\"/a\",\"provisioning\":\"/p\",\"keys\":[]}");
        assertEquals(bad + "no public key", reason());

        idp.serve(200, "application/json", "{\"authentication\":\"/a\",\"provisioning\":\"/p\","
                + "\"public-key\":{\"algorithm\":\"RS\",\"n\":\"zz\",\"e\":\"65537\"}}");
        assertEquals(bad + "malformed public key", reason());

        idp.serve(200, "application/json", "{\"disabled\":\"true\"}");
        assertEquals(bad + "'disabled' must be true or false", reason());

        idp.serve(200, "application/json", "{\"disabled\":0}");
        assertEquals(bad + "'disabled' must be true or false", reason());

        idp.serve(200, "application/json", "{\"authority\":\"not a domain/\"}");
        assertEquals(bad + "invalid 'authority'", reason());
    }

    @Test
    void disabledFalseIsAnOrdinaryDocument() throws Exception {
        idp.serve(200, "application/json", "{\"disabled\":false,\"authentication\":\"/a\",\"provisioning\":\"/p\","
                + "\"public-key\":" + new ObjectMapper()
                        .writeValueAsString(idp.key().publicKeyJson()) + "}");
        assertInstanceOf(SupportDocument.Supported.class, documents.fetch(idp.domain(), idp.domain()));
    }

    @Test
    void anInvalidDomainIsNotFetched() {
        BrowserIdException e = assertThrows(BrowserIdException.class, () -> documents.fetch("evil.example/x?", "a"));
        assertEquals("evil.example/x? is not a browserid primary - invalid domain", e.getMessage());
    }

    @Test
    void theWholeVerificationOverHttp() throws Exception {
        LocalVerifier verifier = new LocalVerifier(documents, Clock.systemUTC(), Duration.ofSeconds(30), false, null,
                Set.of(), 5);
        String email = idp.email("alice");
        assertEquals(email, verifier.verify(idp.assertion(email, "https://rp.example"), "https://rp.example", Set.of())
                .email());

        String beforeRotation = idp.assertion(email, "https://rp.example");
        idp.rotateKey(Algorithm.RS256);
        assertEquals(email, verifier.verify(beforeRotation, "https://rp.example", Set.of()).email());
        assertEquals(email, verifier.verify(idp.assertion(email, "https://rp.example"), "https://rp.example", Set.of())
                .email());
    }
}
