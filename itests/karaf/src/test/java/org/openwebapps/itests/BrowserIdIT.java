package org.openwebapps.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.karaf.features.FeaturesService;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.openwebapps.browserid.Algorithm;
import org.openwebapps.itests.browserid.TestIdp;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * BrowserID in the real distribution against a real IdP on 127.0.0.1: the Persona-style verifier
 * API, logins through the auth SPI, the provider uninstalled and reinstalled at runtime, remote
 * verification against a verifier API, and the development IdP.
 */
@RunWith(ServerExam.class)
@ExamReactorStrategy(PerClass.class)
public class BrowserIdIT extends ServerTestSupport {

    private static final String PID = "org.openwebapps.auth.browserid";
    private static final String FEATURE = "openwebapps-auth-browserid";
    private static final String DEV_IDP = "openwebapps-browserid-dev-idp";
    private static final String RP = "https://rp.example";
    private static final EnumSet<FeaturesService.Option> NO_REFRESH = EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    private FeaturesService features;

    private TestIdp idp;

    @Before
    public void startIdp() throws Exception {
        installTestResource(); // /itest/login, a login through the auth SPI
        idp = TestIdp.start(Algorithm.RS256);
        allowLocalFetches();
        configure("");
    }

    @After
    public void stopIdp() {
        idp.close();
    }

    /** Reconfigures the provider and waits until the new configuration serves logins and the verifier API. */
    private void configure(String verifierUrl) throws Exception {
        reconfigure(PID, Map.of("verifier.url", verifierUrl));
        String email = idp.email("probe");
        await("BrowserID configured for " + verifierUrl,
                () -> login(idp.assertion(email, RP), RP), response -> response.statusCode() == 200);
        await("the verifier API back", () -> post("/browserid/verify", "application/x-www-form-urlencoded",
                form(idp.assertion(email, RP), RP)), response -> response.statusCode() == 200);
    }

    private HttpResponse<String> login(String assertion, String audience) {
        return post("/itest/login", "application/json",
                json(Map.of("type", "browserid", "value", assertion, "audience", audience)));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String form(String assertion, String audience) {
        return "assertion=" + URLEncoder.encode(assertion, StandardCharsets.UTF_8) + "&audience="
                + URLEncoder.encode(audience, StandardCharsets.UTF_8);
    }

    /**
     * Finding 1 of the hardening review: logins naming domains whose IdPs trickle their support
     * documents held every request thread. Now they share fetches, past the fetcher's caps they are
     * refused at once, and the server keeps answering everything else.
     */
    @Test
    public void tricklingIdpsStallNoRequestThread() throws Exception {
        List<TestIdp> hostile = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(200);
        try {
            for (int i = 0; i < 4; i++) {
                TestIdp trickler = TestIdp.start(Algorithm.RS256);
                trickler.serveTrickling(Duration.ofMillis(100)); // a ~1 KB document: ~2 minutes
                hostile.add(trickler);
            }
            List<Future<HttpResponse<String>>> logins = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                TestIdp trickler = hostile.get(i % hostile.size());
                String assertion = trickler.assertion(trickler.email("victim" + i), RP);
                logins.add(clients.submit(() -> post("/browserid/verify", "application/x-www-form-urlencoded",
                        form(assertion, RP))));
            }
            await("the tricklers are being fetched", () -> hostile.stream().mapToInt(TestIdp::openRequests).sum(),
                    open -> open >= hostile.size());
            for (int i = 0; i < 20; i++) {
                assertEquals(200, get("/__lbheartbeat__").statusCode());
                String email = idp.email("bystander" + i);
                JsonNode okay = json(post("/browserid/verify", "application/x-www-form-urlencoded", form(idp.assertion(email, RP), RP)));
                assertEquals(okay.toString(), "okay", okay.path("status").asText());
            }
            int refusedAtOnce = 0;
            for (Future<HttpResponse<String>> login : logins) {
                HttpResponse<String> answer = login.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                JsonNode body = json(answer);
                assertEquals(answer.body(), "failure", body.path("status").asText());
                if (answer.statusCode() == 503) {
                    refusedAtOnce++;
                    assertTrue(answer.headers().firstValue("Retry-After").isPresent());
                } else {
                    assertEquals(answer.body(), 200, answer.statusCode());
                    assertTrue(body.toString(), body.path("reason").asText().contains("could not fetch its support document"));
                }
            }
            assertTrue("past the caps, logins were refused at once: " + refusedAtOnce, refusedAtOnce > 0);
            await("every trickle hung up on", () -> hostile.stream().mapToInt(TestIdp::openRequests).sum(), open -> open == 0);
        } finally {
            clients.shutdownNow();
            hostile.forEach(TestIdp::close);
        }
    }

    @Test
    public void theVerifierApiAnswersLikePersona() {
        String email = idp.email("alice");
        String assertion = idp.assertion(email, RP);

        JsonNode okay = json(post("/browserid/verify", "application/x-www-form-urlencoded", form(assertion, RP)));
        assertEquals(okay.toString(), "okay", okay.path("status").asText());
        assertEquals(email, okay.path("email").asText());
        assertEquals(RP, okay.path("audience").asText());
        assertEquals(idp.domain(), okay.path("issuer").asText());
        assertTrue(okay.toString(), okay.path("expires").asLong() > System.currentTimeMillis());

        JsonNode v1Json = json(post("/browserid/verify", "application/json", json(Map.of("assertion", assertion, "audience", RP))));
        assertEquals(v1Json.toString(), "okay", v1Json.path("status").asText());
        JsonNode v2 = json(post("/browserid/v2", "application/json",
                json(Map.of("assertion", assertion, "audience", RP, "trustedIssuers", List.of()))));
        assertEquals(v2.toString(), "okay", v2.path("status").asText());

        HttpResponse<String> wrongAudience = post("/browserid/verify", "application/x-www-form-urlencoded",
                form(assertion, "https://evil.example"));
        assertEquals(200, wrongAudience.statusCode());
        assertEquals("failure", json(wrongAudience).path("status").asText());
        assertEquals("audience mismatch: domain mismatch", json(wrongAudience).path("reason").asText());

        JsonNode junk = json(post("/browserid/verify", "application/x-www-form-urlencoded", form("JUNK", RP)));
        assertEquals("malformed assertion", junk.path("reason").asText());

        HttpResponse<String> noAssertion = post("/browserid/verify", "application/x-www-form-urlencoded", "audience=x");
        assertEquals(400, noAssertion.statusCode());
        assertEquals("missing assertion parameter", json(noAssertion).path("reason").asText());
        HttpResponse<String> noAudience = post("/browserid/verify", "application/json", json(Map.of("assertion", assertion)));
        assertEquals(400, noAudience.statusCode());
        assertEquals("missing audience parameter", json(noAudience).path("reason").asText());

        HttpResponse<String> viaGet = get("/browserid/verify");
        assertEquals(405, viaGet.statusCode());
        assertEquals(405, json(viaGet).path("status").asInt());
        HttpResponse<String> v2Form = post("/browserid/v2", "application/x-www-form-urlencoded", form(assertion, RP));
        assertEquals(415, v2Form.statusCode());
        assertEquals(415, json(v2Form).path("status").asInt());
        HttpResponse<String> badIssuers = post("/browserid/v2", "application/json",
                json(Map.of("assertion", assertion, "audience", RP, "trustedIssuers", "x")));
        assertEquals(400, badIssuers.statusCode());
        assertEquals("trustedIssuers must be an array of strings", json(badIssuers).path("reason").asText());
    }

    @Test
    public void loginsGoThroughTheAuthSpi() throws Exception {
        String email = idp.email("bob");
        HttpResponse<String> ok = login(idp.assertion(email, RP), RP);
        assertEquals(ok.body(), 200, ok.statusCode());
        assertEquals(email, json(ok).path("email").asText());
        assertEquals("browserid", json(ok).path("provider").asText());

        HttpResponse<String> wrongAudience = login(idp.assertion(email, RP), "https://other.example");
        assertEquals(401, wrongAudience.statusCode());
        assertEquals("audience mismatch: domain mismatch", json(wrongAudience).path("message").asText());

        try (TestIdp disabled = TestIdp.start(Algorithm.DS128)) {
            disabled.serveDisabled(); // and no fallback is configured: nobody may vouch for its users
            configure("");
            HttpResponse<String> noAuthority = login(disabled.assertion(disabled.email("carol"), RP), RP);
            assertEquals(401, noAuthority.statusCode());
            assertEquals("untrusted issuer: " + disabled.domain() + " disabled BrowserID support, and no fallback IdP"
                    + " is configured", json(noAuthority).path("message").asText());
        }
    }

    @Test
    public void withoutTheBrowserIdFeatureLoginsFailCleanlyUntilItReturns() throws Exception {
        String email = idp.email("dave");
        features.uninstallFeature(FEATURE, NO_REFRESH);
        try {
            HttpResponse<String> refused = await("logins refused without the provider",
                    () -> login(idp.assertion(email, RP), RP), response -> response.statusCode() != 200);
            assertEquals(refused.body(), 401, refused.statusCode());
            assertEquals("no auth provider for credentials of type 'browserid' is installed",
                    json(refused).path("message").asText());
            awaitStatus("POST", "/browserid/verify", 404);
        } finally {
            features.installFeature(FEATURE, NO_REFRESH);
        }
        HttpResponse<String> back = await("logins after reinstalling",
                () -> login(idp.assertion(email, RP), RP), response -> response.statusCode() == 200);
        assertEquals(email, json(back).path("email").asText());
    }

    @Test
    public void remoteModeAsksAVerifierApi() throws Exception {
        String base = uri("/browserid/").toString();
        try {
            configure(base + "verify");
            assertEquals(200, login(idp.assertion(idp.email("erin"), RP), RP).statusCode());
            HttpResponse<String> refused = login(idp.assertion(idp.email("erin"), RP), "https://other.example");
            assertEquals(401, refused.statusCode());

            configure(base + "v2");
            assertEquals(200, login(idp.assertion(idp.email("erin"), RP), RP).statusCode());

            configurationAdmin.getConfiguration(PID, null).update(new Hashtable<>(Map.of(
                    "verifier.url", "http://127.0.0.1:1/verify")));
            HttpResponse<String> unavailable = await("the dead verifier in use",
                    () -> login(idp.assertion(idp.email("erin"), RP), RP), response -> response.statusCode() == 503);
            assertEquals("remote verifier unreachable", json(unavailable).path("message").asText());
        } finally {
            configure("");
        }
    }

    @Test
    public void theDevelopmentIdpLogsInWithoutTheInternet() throws Exception {
        String port = System.getProperty("openwebapps.itest.http.port");
        String domain = "127.0.0.1:" + port; // the server's own address is the IdP's domain
        String audience = "http://" + domain;
        features.installFeature(DEV_IDP, NO_REFRESH);
        try {
            awaitStatus("GET", "/.well-known/browserid", 200);
            configure("");

            HttpResponse<String> minted = post("/dev-idp/assertion", "application/json",
                    json(Map.of("email", "alice@" + domain, "audience", audience)));
            assertEquals(minted.body(), 200, minted.statusCode());
            JsonNode verified = json(post("/browserid/verify", "application/x-www-form-urlencoded",
                    form(json(minted).path("assertion").asText(), audience)));
            assertEquals(verified.toString(), "okay", verified.path("status").asText());
            assertEquals("alice@" + domain, verified.path("email").asText());
            assertEquals(domain, verified.path("issuer").asText());

            HttpResponse<String> otherDomain = post("/dev-idp/assertion", "application/json",
                    json(Map.of("email", "alice@example.com", "audience", audience)));
            assertEquals(400, otherDomain.statusCode());
        } finally {
            features.uninstallFeature(DEV_IDP, NO_REFRESH);
        }
        awaitStatus("GET", "/.well-known/browserid", 404);
    }
}
