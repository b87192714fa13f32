package org.openwebapps.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import javax.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.karaf.shell.api.console.SessionFactory;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwa.AlgorithmConstraints;

import org.junit.Before;
import org.osgi.framework.Bundle;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Purchases end to end in the real distribution: premium apps bought through the fake provider,
 * whose session actions deliver real HS256 notifications over HTTP to the notify endpoint; the
 * state machine, the event log, refunds, the install path's 402, and the provider's feature
 * uninstalled and reinstalled mid-purchase.
 */
@RunWith(ServerExam.class)
@ExamReactorStrategy(PerClass.class)
public class PaymentsIT extends MarketplaceTestSupport {

    private static final String SECRET = "an itest secret of at least thirty-two bytes";
    private static final String FAKE = "openwebapps-payments-fake";
    private static final String RECEIPTS = "org.openwebapps.marketplace.receipts";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    private SessionFactory shells;

    /** The server, and jose4j: an independent JOSE implementation that checks its receipts in the test. */
    @Override
    @Configuration
    public Option[] configuration() {
        List<Option> options = new ArrayList<>(List.of(super.configuration()));
        options.add(CoreOptions.bundle(new File(requiredProperty("openwebapps.itest.jose4j")).toURI().toString()));
        return options.toArray(new Option[0]);
    }

    @Before
    public void setUpPayments() throws Exception {
        if (!features.isInstalled(features.getFeature(FAKE))) {
            installFakeProvider();
        }
        reconfigure("org.openwebapps.marketplace.payments", Map.of("refund.window.seconds", 1800));
    }

    /** Configures the fake provider (a known secret, this server's notify URL), installs it, waits for its pages. */
    private void installFakeProvider() throws Exception {
        configurationAdmin.getConfiguration("org.openwebapps.payments.fake", null).update(new Hashtable<>(Map.of(
                ".secret", SECRET, "notify.url", uri(API + "/payments/notify/fake").toString())));
        features.installFeature(FAKE, NO_REFRESH);
        await("the fake provider's pages", () -> get("/payments-fake/sessions/none"),
                response -> response.statusCode() == 404 && response.body().contains("no such payment session"));
    }

    // --- helpers ------------------------------------------------------------------------------------

    /** A public premium app at price tier 1 (0.99 USD). */
    private long premiumApp(String name) throws Exception {
        String developer = loginAs("dev");
        long id = submit(developer, host(name)).path("id").asLong();
        expect(200, call("PATCH", API + "/apps/" + id, developer,
                "{\"premium_type\":\"premium\",\"price_tier\":1,\"categories\":[\"games\"]}"));
        expect(200, call("POST", API + "/apps/" + id + "/submit", developer, null));
        expect(200, call("POST", API + "/apps/" + id + "/review", loginAs("reviewer"), "{\"action\":\"approve\"}"));
        return id;
    }

    private HttpResponse<String> prepare(String token, long app) {
        return call("POST", API + "/payments/prepare", token, "{\"app\":" + app + "}");
    }

    /** The fake provider's session of a prepare answer: its path on this server. */
    private static String sessionPath(JsonNode prepared) {
        String redirect = prepared.path("redirect_url").asText();
        assertTrue(redirect, redirect.startsWith(STORE + "/payments-fake/sessions/"));
        return redirect.substring(STORE.length());
    }

    /** Performs a session action; @return the fake's answer (what the notify endpoint said) */
    private JsonNode act(String session, String action) {
        return expect(200, call("POST", session, null, "{\"action\":\"" + action + "\"}"));
    }

    private JsonNode purchase(String token, String uuid) {
        return expect(200, call("GET", API + "/payments/" + uuid, token, null));
    }

    private HttpResponse<String> notify(String provider, String contentType, String body) {
        return send(HttpRequest.newBuilder(uri(API + "/payments/notify/" + provider)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** An HS256 JWT made here, independently of the provider's code. */
    private static String hs256(String secret, String payload) throws Exception {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = base64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + base64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return signingInput + "." + base64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String paidPayload(String order, String transaction) {
        long now = System.currentTimeMillis() / 1000;
        return "{\"iss\":\"payments-fake\",\"aud\":\"http://127.0.0.1/marketplace/api/v1/payments/notify/fake\",\"iat\":"
                + now + ",\"exp\":" + (now + 300) + ",\"typ\":\"payments-fake/notification/v1\",\"event\":{\"kind\":\"PAID\","
                + "\"transaction_id\":\"" + transaction + "\",\"order_id\":\"" + order + "\",\"amount\":\"0.99\",\"currency\":\"USD\"}}";
    }

    private HttpResponse<String> verify(long app, String receipt) {
        return verifyAt("/marketplace/verify/" + app, receipt);
    }

    private HttpResponse<String> verifyAt(String path, String receipt) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(receipt)).build());
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(text -> texts.add(text.asText()));
        return texts;
    }

    /** Buys the app through the fake provider; @return the completed purchase */
    private JsonNode buy(String buyerToken, long app) {
        JsonNode prepared = expect(201, prepare(buyerToken, app));
        assertEquals(200, act(sessionPath(prepared), "pay").path("delivered_status").asInt());
        JsonNode completed = purchase(buyerToken, prepared.path("purchase").path("uuid").asText());
        assertEquals("COMPLETED", completed.path("state").asText());
        return completed;
    }

    private static JsonNode claims(String receipt) throws Exception {
        String payload = receipt.substring(receipt.indexOf('~') + 1).split("\\.")[1];
        return JSON.readTree(Base64.getUrlDecoder().decode(payload));
    }

    private static String kid(String receipt) throws Exception {
        String header = receipt.substring(receipt.indexOf('~') + 1).split("\\.")[0];
        return JSON.readTree(Base64.getUrlDecoder().decode(header)).path("kid").asText();
    }

    private String reissue(String receipt) {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri(API + "/receipts/reissue")).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(receipt)).build());
        JsonNode body = expect(200, answer);
        assertEquals("ok", body.path("status").asText());
        return body.path("receipt").asText();
    }

    private List<String> outcomes(String reviewerToken, String uuid) {
        List<String> outcomes = new ArrayList<>();
        expect(200, call("GET", API + "/reviewers/payment-events?purchase=" + uuid, reviewerToken, null)).path("objects")
                .forEach(event -> outcomes.add(event.path("outcome").asText()));
        return outcomes;
    }

    // --- tests -----------------------------------------------------------------------------------------

    @Test
    public void buyPayInstallRepeatConflictAndRefund() throws Exception {
        long app = premiumApp("Paid Game");
        String buyer = loginAs("buyer");
        expectError(402, "payment_required", call("POST", API + "/installs", buyer, "{\"app\":" + app + "}"));

        JsonNode prepared = expect(201, prepare(buyer, app));
        JsonNode started = prepared.path("purchase");
        String uuid = started.path("uuid").asText();
        assertEquals("PENDING", started.path("state").asText());
        assertEquals(app, started.path("app").asLong());
        assertEquals("0.99", started.path("amount").asText());
        assertEquals("USD", started.path("currency").asText());
        assertEquals(1, started.path("price_tier").asInt());
        assertEquals("fake", started.path("provider").asText());
        assertTrue(started.path("receipt").isNull());
        JsonNode again = expect(200, prepare(buyer, app));
        assertEquals("the same pending purchase", uuid, again.path("purchase").path("uuid").asText());
        assertEquals("the same session", prepared.path("redirect_url").asText(), again.path("redirect_url").asText());

        String session = sessionPath(prepared);
        HttpResponse<String> page = get(session);
        assertEquals(200, page.statusCode());
        assertTrue(page.body(), page.body().contains(uuid) && page.body().contains("0.99 USD"));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));

        JsonNode paid = act(session, "pay");
        assertEquals(200, paid.path("delivered_status").asInt());
        String transaction = paid.path("transaction_id").asText();
        assertEquals("the notify endpoint answers the transaction id", transaction, paid.path("delivered_body").asText());
        assertEquals(3, paid.path("notification").asText().split("\\.").length);
        JsonNode completed = purchase(buyer, uuid);
        assertEquals("COMPLETED", completed.path("state").asText());
        assertEquals(transaction, completed.path("transaction_id").asText());
        assertFalse(completed.path("needs_review").asBoolean());

        expectError(409, "already_purchased", prepare(buyer, app));
        String receipt = completed.path("receipt").asText();
        assertEquals("a completed purchase holds its receipt", 2, receipt.split("~", -1).length);
        JsonNode installed = expect(201, call("POST", API + "/installs", buyer, "{\"app\":" + app + "}"));
        assertEquals(List.of(receipt), texts(installed.path("receipts")));
        JsonNode record = appIn(sync(device("buyer"), "0"), installed.path("origin").asText());
        assertEquals("the AppSync record carries the receipt", List.of(receipt), texts(record.path("install_data").path("receipts")));
        HttpResponse<String> verified = verify(app, receipt);
        assertEquals("ok", expect(200, verified).path("status").asText());
        assertEquals("*", verified.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertEquals("no-cache", verified.headers().firstValue("Cache-Control").orElse(""));
        assertEquals("another app's verifier", "WRONG_PATH", expect(200, verify(app + 1, receipt)).path("reason").asText());

        JsonNode repeated = act(session, "repeat");
        assertEquals("a repeated notification is answered again", 200, repeated.path("delivered_status").asInt());
        assertEquals(transaction, repeated.path("delivered_body").asText());
        assertEquals(paid.path("notification").asText(), repeated.path("notification").asText());
        assertEquals(completed.path("modified").asLong(), purchase(buyer, uuid).path("modified").asLong());

        JsonNode conflicting = act(session, "conflict");
        assertEquals(409, conflicting.path("delivered_status").asInt());
        assertNotEquals(transaction, conflicting.path("transaction_id").asText());
        assertTrue(conflicting.path("delivered_body").asText().contains("notification_conflict"));
        JsonNode flagged = purchase(buyer, uuid);
        assertEquals("COMPLETED", flagged.path("state").asText());
        assertEquals(transaction, flagged.path("transaction_id").asText());
        assertTrue("flagged for review", flagged.path("needs_review").asBoolean());

        // only the buyer and reviewers see it
        String reviewerToken = loginAs("reviewer");
        expectError(404, "not_found", call("GET", API + "/payments/" + uuid, loginAs("stranger"), null));
        expectError(401, "unauthorized", call("GET", API + "/payments/" + uuid, null, null));
        assertEquals(uuid, purchase(reviewerToken, uuid).path("uuid").asText());
        assertEquals(List.of("conflict", "duplicate", "applied"), outcomes(reviewerToken, uuid));
        expectError(403, "forbidden", call("GET", API + "/reviewers/payment-events", buyer, null));
        JsonNode mine = expect(200, call("GET", API + "/account/purchases/mine", buyer, null));
        assertEquals(uuid, mine.path("objects").get(0).path("uuid").asText());
        assertEquals(0, expect(200, call("GET", API + "/account/purchases/mine", loginAs("stranger"), null))
                .path("objects").size());

        // refunded by the buyer: asked, then confirmed by the provider; the app is no longer paid for
        JsonNode refunding = expect(202, call("POST", API + "/payments/" + uuid + "/refund", buyer, "{\"reason\":\"changed my mind\"}"));
        assertEquals("REFUND_PENDING", refunding.path("state").asText());
        expectError(409, "purchase_state", call("POST", API + "/payments/" + uuid + "/refund", buyer, null));
        assertTrue(get(session).body().contains("changed my mind"));
        assertEquals(200, act(session, "refund").path("delivered_status").asInt());
        assertEquals("REFUNDED", purchase(buyer, uuid).path("state").asText());
        assertTrue(purchase(buyer, uuid).path("receipt").isNull());
        assertEquals("refunded", expect(200, verify(app, receipt)).path("status").asText());
        expectError(402, "payment_required", call("POST", API + "/installs", buyer, "{\"app\":" + app + "}"));
        assertEquals("a refunded purchase can be bought again", 201, prepare(buyer, app).statusCode());
    }

    @Test
    public void cancelFailChargebackAndTheRefundWindow() throws Exception {
        long app = premiumApp("Other Game");
        String buyer = loginAs("canceller");
        JsonNode first = expect(201, prepare(buyer, app));
        String firstUuid = first.path("purchase").path("uuid").asText();
        expectError(404, "not_found", call("POST", API + "/payments/" + firstUuid + "/cancel", loginAs("stranger"), null));
        assertEquals("CANCELLED", expect(200, call("POST", API + "/payments/" + firstUuid + "/cancel", buyer, null))
                .path("state").asText());
        expectError(409, "purchase_state", call("POST", API + "/payments/" + firstUuid + "/cancel", buyer, null));
        JsonNode late = act(sessionPath(first), "pay");
        assertEquals("PAID on a cancelled purchase conflicts", 409, late.path("delivered_status").asInt());
        assertEquals("CANCELLED", purchase(buyer, firstUuid).path("state").asText());
        assertTrue(purchase(buyer, firstUuid).path("needs_review").asBoolean());

        JsonNode second = expect(201, prepare(buyer, app));
        String secondUuid = second.path("purchase").path("uuid").asText();
        assertNotEquals(firstUuid, secondUuid);
        assertEquals(200, act(sessionPath(second), "fail").path("delivered_status").asInt());
        assertEquals("FAILED", purchase(buyer, secondUuid).path("state").asText());
        expectError(409, "purchase_state", call("POST", API + "/payments/" + secondUuid + "/refund", buyer, null));
        expectError(402, "payment_required", call("POST", API + "/installs", buyer, "{\"app\":" + app + "}"));

        JsonNode third = expect(201, prepare(buyer, app));
        String thirdUuid = third.path("purchase").path("uuid").asText();
        String session = sessionPath(third);
        expectError(409, "purchase_state", call("POST", API + "/payments/" + thirdUuid + "/refund", buyer, null));
        assertEquals(200, act(session, "pay").path("delivered_status").asInt());
        reconfigure("org.openwebapps.marketplace.payments", Map.of("refund.window.seconds", 0));
        expectError(403, "refund_window_passed", call("POST", API + "/payments/" + thirdUuid + "/refund", buyer, null));
        assertEquals("a reviewer refunds at any time", "REFUND_PENDING", expect(202,
                call("POST", API + "/payments/" + thirdUuid + "/refund", loginAs("reviewer"), null)).path("state").asText());
        assertEquals(200, act(session, "chargeback").path("delivered_status").asInt());
        assertEquals("CHARGEBACK", purchase(buyer, thirdUuid).path("state").asText());
        List<String> states = new ArrayList<>();
        expect(200, call("GET", API + "/account/purchases/mine", buyer, null)).path("objects")
                .forEach(purchase -> states.add(purchase.path("state").asText()));
        assertEquals("newest first", List.of("CHARGEBACK", "FAILED", "CANCELLED"), states);
    }

    @Test
    public void concurrentPreparesMakeOnePurchase() throws Exception {
        long app = premiumApp("Rush Game");
        String buyer = loginAs("rusher");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return prepare(buyer, app);
                }));
            }
            start.countDown();
            Set<String> uuids = new HashSet<>();
            int created = 0;
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                assertTrue(response.body(), response.statusCode() == 201 || response.statusCode() == 200);
                created += response.statusCode() == 201 ? 1 : 0;
                uuids.add(json(response).path("purchase").path("uuid").asText());
            }
            assertEquals("one purchase", 1, uuids.size());
            assertEquals(1, created);
            assertEquals(1, expect(200, call("GET", API + "/account/purchases/mine", buyer, null)).path("objects").size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void notificationsAreStoredThenJudged() throws Exception {
        String reviewerToken = loginAs("reviewer");
        expectError(400, "bad_notification", notify("fake", "application/jwt", "not a jwt"));
        expectError(400, "bad_notification", notify("fake", "application/jwt",
                hs256("the wrong secret, also long enough to sign", paidPayload(UUID.randomUUID().toString(), "t-x"))));
        String unknownOrder = UUID.randomUUID().toString();
        expectError(409, "notification_conflict", notify("fake", "application/jwt", hs256(SECRET, paidPayload(unknownOrder, "t-y"))));
        expectError(404, "not_found", notify("nobody", "application/jwt", "x"));
        expectError(413, "payload_too_large", notify("fake", "application/jwt", "x".repeat(70_000)));
        expectError(400, "bad_notification", notify("fake", "text/plain", "{\"kind\":\"PAID\"}"));

        JsonNode events = expect(200, call("GET", API + "/reviewers/payment-events?limit=6", reviewerToken, null));
        List<String> outcomes = new ArrayList<>();
        events.path("objects").forEach(event -> outcomes.add(event.path("outcome").asText()));
        assertEquals("every raw body is kept, newest first", List.of("rejected", "conflict", "rejected", "rejected"),
                outcomes.subList(0, 4));
        JsonNode conflict = events.path("objects").get(1);
        assertEquals("PAID", conflict.path("kind").asText());
        assertEquals("t-y", conflict.path("transaction_id").asText());
        assertTrue(conflict.path("purchase").isNull());
        assertTrue(conflict.path("raw").asText().startsWith("eyJ"));
        assertEquals("not a jwt", events.path("objects").get(3).path("raw").asText());
        expectError(400, "bad_query", call("GET", API + "/reviewers/payment-events?limit=0", reviewerToken, null));
    }

    @Test
    public void badRequestsAreRefusedClearly() throws Exception {
        long premium = premiumApp("Strict Game");
        String developer = loginAs("dev");
        long free = submit(developer, host("Free Game")).path("id").asLong();
        String buyer = loginAs("picky");
        expectError(401, "unauthorized", prepare(null, premium));
        expectError(400, "bad_request", call("POST", API + "/payments/prepare", buyer, "{}"));
        expectError(400, "bad_request", call("POST", API + "/payments/prepare", buyer, "[1"));
        expectError(400, "bad_request", call("POST", API + "/payments/prepare", buyer, "{\"app\":\"seventeen\"}"));
        expectError(404, "not_found", prepare(buyer, 999_999));
        expectError(404, "not_found", prepare(buyer, free)); // not public, not theirs
        expectError(403, "app_not_public", prepare(developer, free));
        expectError(404, "not_found", call("GET", API + "/payments/not-a-uuid", buyer, null));
        expectError(404, "not_found", call("GET", API + "/payments/" + UUID.randomUUID(), buyer, null));
        expectError(413, "payload_too_large", call("POST", API + "/payments/prepare", buyer,
                "{\"app\":" + premium + ",\"pad\":\"" + "x".repeat(70_000) + "\"}"));
        expect(200, call("PATCH", API + "/apps/" + free, developer, "{\"categories\":[\"games\"]}"));
        expect(200, call("POST", API + "/apps/" + free + "/submit", developer, null));
        expect(200, call("POST", API + "/apps/" + free + "/review", loginAs("reviewer"), "{\"action\":\"approve\"}"));
        expectError(400, "app_not_premium", prepare(buyer, free));
        assertEquals(0, expect(200, call("GET", API + "/account/purchases/mine", buyer, null)).path("objects").size());
    }

    @Test
    public void withoutTheProviderPaymentsWaitAndNothingIsLost() throws Exception {
        long app = premiumApp("Swap Game");
        String buyer = loginAs("swapper");
        String paidBuyer = loginAs("swapper-paid");
        JsonNode paid = expect(201, prepare(paidBuyer, app));
        assertEquals(200, act(sessionPath(paid), "pay").path("delivered_status").asInt());
        JsonNode pending = expect(201, prepare(buyer, app));
        String uuid = pending.path("purchase").path("uuid").asText();

        features.uninstallFeature(FAKE, NO_REFRESH);
        try {
            HttpResponse<String> refused = await("payments answering 503", () -> prepare(buyer, app),
                    response -> response.statusCode() == 503);
            expectError(503, "payments_unavailable", refused);
            assertTrue(refused.headers().firstValue("Retry-After").isPresent());
            expectError(503, "payments_unavailable", notify("fake", "application/jwt", hs256(SECRET, paidPayload(uuid, "t-z"))));
            expectError(503, "payments_unavailable", call("POST", API + "/payments/" + paid.path("purchase").path("uuid").asText()
                    + "/refund", paidBuyer, null));
            // everything else keeps working
            assertEquals("PENDING", purchase(buyer, uuid).path("state").asText());
            expect(200, call("GET", API + "/account/purchases/mine", buyer, null));
            expect(201, call("POST", API + "/installs", paidBuyer, "{\"app\":" + app + "}"));
            expectError(402, "payment_required", call("POST", API + "/installs", buyer, "{\"app\":" + app + "}"));
            expect(200, call("GET", API + "/apps/" + app, null, null));
        } finally {
            installFakeProvider();
        }
        JsonNode resumed = expect(200, await("payments back", () -> prepare(buyer, app), response -> response.statusCode() == 200));
        assertEquals("the same purchase goes on", uuid, resumed.path("purchase").path("uuid").asText());
        assertEquals(200, act(sessionPath(resumed), "pay").path("delivered_status").asInt());
        assertEquals("COMPLETED", purchase(buyer, uuid).path("state").asText());
        expect(201, call("POST", API + "/installs", buyer, "{\"app\":" + app + "}"));
    }

    // --- receipts ----------------------------------------------------------------------------------

    /** The root key and a purchase receipt checked by jose4j, from what the server publishes alone. */
    @Test
    public void receiptsVerifyOutsideOurCode() throws Exception {
        long app = premiumApp("Checked Game");
        String receipt = buy(loginAs("checked-buyer"), app).path("receipt").asText();
        HttpResponse<String> published = get("/marketplace/public_keys/root.jwk");
        assertEquals("*", published.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        JsonNode roots = expect(200, published).path("jwk");
        assertTrue(roots.size() >= 1);
        JsonNode root = roots.get(0);
        assertEquals(root.path("n").asText(), root.path("mod").asText());

        String[] parts = receipt.split("~", -1);
        JsonWebSignature cert = new JsonWebSignature();
        cert.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256));
        cert.setCompactSerialization(parts[0]);
        assertEquals(root.path("kid").asText(), cert.getKeyIdHeaderValue());
        cert.setKey(publicKey(root));
        assertTrue("the certificate verifies with the published root key", cert.verifySignature());
        JsonNode certified = JSON.readTree(cert.getPayload());
        assertEquals("certified-key", certified.path("typ").asText());
        assertEquals(STORE + "/marketplace/public_keys/root.jwk", certified.path("iss").asText());

        JsonWebSignature signed = new JsonWebSignature();
        signed.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256));
        signed.setCompactSerialization(parts[1]);
        signed.setKey(publicKey(certified.path("jwk").get(0)));
        assertTrue("the receipt verifies with the certified key", signed.verifySignature());
        JsonNode claims = JSON.readTree(signed.getPayload());
        signed.setKey(publicKey(root));
        assertFalse("and not with the root key", signed.verifySignature());
        assertEquals("purchase-receipt", claims.path("typ").asText());
        assertEquals("id=" + app, claims.path("product").path("storedata").asText());
        assertEquals(STORE + "/marketplace/verify/" + app, claims.path("verify").asText());
        assertEquals(STORE, claims.path("iss").asText());
        assertTrue(claims.path("iat").isIntegralNumber() && claims.path("exp").isIntegralNumber());
        assertTrue(certified.path("nbf").asLong() <= claims.path("iat").asLong());
        assertTrue(certified.path("exp").asLong() >= claims.path("exp").asLong());
    }

    private static java.security.PublicKey publicKey(JsonNode entry) throws Exception {
        return PublicJsonWebKey.Factory.newPublicJwk("{\"kty\":\"RSA\",\"n\":\"" + entry.path("n").asText() + "\",\"e\":\""
                + entry.path("e").asText() + "\"}").getPublicKey();
    }

    @Test
    public void aRotatedSigningKeyLeavesOldReceiptsValid() throws Exception {
        long app = premiumApp("Rotated Game");
        String receipt = buy(loginAs("rotated-buyer"), app).path("receipt").asText();
        String out = shell("marketplace:rotate-signing-key");
        assertTrue(out, out.contains("retired") && out.contains(kid(receipt)));
        String fresh = reissue(receipt);
        assertNotEquals("the new key signs", kid(receipt), kid(fresh));
        assertEquals("ok", expect(200, verify(app, receipt)).path("status").asText());
        assertEquals("ok", expect(200, verify(app, fresh)).path("status").asText());
        assertTrue(claims(fresh).path("iat").asLong() >= claims(receipt).path("iat").asLong());
    }

    @Test
    public void expiredReceiptsAreAnsweredWithFreshOnes() throws Exception {
        long app = premiumApp("Expiring Game");
        String buyer = loginAs("expiring-buyer");
        String receipt = buy(buyer, app).path("receipt").asText();
        reconfigure(RECEIPTS, Map.of("receipt.expiry.seconds", 5));
        try {
            String shortLived = awaitReceiptsLasting(receipt, 5);
            JsonNode expired = expect(200, verify(app, shortLived));
            assertEquals("within 10 s of its exp a receipt is expired", "expired", expired.path("status").asText());
            String fresh = expired.path("receipt").asText();
            assertEquals(claims(shortLived).path("user").path("value").asText(), claims(fresh).path("user").path("value").asText());
            assertEquals("ok", expect(200, verify(app, receipt)).path("status").asText());

            // a purchase completed now holds a 5 s receipt; an install past half its life hands out a new one
            long other = premiumApp("Short Game");
            String stored = buy(buyer, other).path("receipt").asText();
            assertEquals(5, claims(stored).path("exp").asLong() - claims(stored).path("iat").asLong());
            HttpResponse<String> renewed = await("a stale receipt replaced at install",
                    () -> call("POST", API + "/installs", buyer, "{\"app\":" + other + "}"),
                    response -> (response.statusCode() == 201 || response.statusCode() == 202)
                            && !stored.equals(json(response).path("receipts").get(0).asText()));
            String issued = json(renewed).path("receipts").get(0).asText();
            JsonNode mine = expect(200, call("GET", API + "/account/purchases/mine", buyer, null));
            assertEquals("kept with the purchase", issued, mine.path("objects").get(0).path("receipt").asText());
        } finally {
            reconfigure(RECEIPTS, Map.of());
        }
        awaitReceiptsLasting(receipt, 15_724_800);
    }

    /** Reissues the receipt until the new one lasts {@code seconds} (a receipts configuration in effect). */
    private String awaitReceiptsLasting(String receipt, long seconds) {
        return await("receipts lasting " + seconds + " s", () -> {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(uri(API + "/receipts/reissue"))
                    .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(receipt)).build());
            return answer.statusCode() == 200 ? json(answer).path("receipt").asText() : null;
        }, issued -> {
            try {
                return issued != null && claims(issued).path("exp").asLong() - claims(issued).path("iat").asLong() == seconds;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    public void testReceiptsOfEveryType() throws Exception {
        for (String type : List.of("ok", "pending", "expired", "refunded", "invalid")) {
            JsonNode made = expect(201, call("POST", API + "/receipts/test", null,
                    "{\"manifest_url\":\"https://tester.example:8443/manifest.webapp\",\"receipt_type\":\"" + type + "\"}"));
            String receipt = made.path("receipt").asText();
            JsonNode claims = claims(receipt);
            assertEquals("test-receipt", claims.path("typ").asText());
            assertEquals("https://tester.example:8443", claims.path("product").path("url").asText());
            assertEquals("id=0", claims.path("product").path("storedata").asText());
            JsonNode verdict = expect(200, verifyAt("/marketplace/verify/test/" + type, receipt));
            switch (type) {
                case "invalid" -> {
                    assertEquals("invalid", verdict.path("status").asText());
                    assertEquals("TEST_INVALID", verdict.path("reason").asText());
                }
                case "expired" -> {
                    assertEquals("expired", verdict.path("status").asText());
                    assertEquals("test-receipt", claims(verdict.path("receipt").asText()).path("typ").asText());
                }
                default -> assertEquals(type, verdict.path("status").asText());
            }
            assertEquals("a test receipt is no purchase receipt", "WRONG_TYPE",
                    expect(200, verify(1, receipt)).path("reason").asText());
        }
        expectError(400, "bad_request", call("POST", API + "/receipts/test", null, "{\"manifest_url\":\"https://a.example/m\"}"));
        expectError(400, "bad_request", call("POST", API + "/receipts/test", null,
                "{\"manifest_url\":\"ftp://a.example/m\",\"receipt_type\":\"ok\"}"));
        expectError(400, "bad_request", call("POST", API + "/receipts/test", null, "[1]"));
        assertEquals("invalid", expect(200, verifyAt("/marketplace/verify/7", "garbage")).path("status").asText());
        assertEquals("ERROR_DECODING", expect(200, verifyAt("/marketplace/verify/7", "")).path("reason").asText());

        HttpResponse<String> preflight = send(HttpRequest.newBuilder(uri("/marketplace/verify/7"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "POST").build());
        assertEquals(204, preflight.statusCode());
        assertEquals("*", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));
        assertEquals(405, get("/marketplace/verify/7").statusCode());
        HttpResponse<String> refused = send(HttpRequest.newBuilder(uri(API + "/receipts/reissue"))
                .POST(HttpRequest.BodyPublishers.ofString("garbage")).build());
        assertEquals(400, refused.statusCode());
        assertEquals("ERROR_DECODING", json(refused).path("reason").asText());
    }

    /** Without the receipts module the verifier is gone and premium installs wait; back, they go on. */
    @Test
    public void withoutReceiptsPremiumInstallsWait() throws Exception {
        long app = premiumApp("Waiting Game");
        String buyer = loginAs("waiting-buyer");
        String later = loginAs("waiting-later");
        String receipt = buy(buyer, app).path("receipt").asText();
        long free = publish(loginAs("dev"), host("Free While Waiting")).path("id").asLong();
        Bundle receipts = bundle(RECEIPTS);
        assertNotNull(receipts);
        receipts.stop();
        try {
            await("the verifier gone", () -> verify(app, receipt), response -> response.statusCode() == 404);
            HttpResponse<String> waiting = call("POST", API + "/installs", buyer, "{\"app\":" + app + "}");
            expectError(503, "service_unavailable", waiting);
            assertTrue(waiting.headers().firstValue("Retry-After").isPresent());
            JsonNode unreceipted = buy(later, app);
            assertTrue("completed without a receipt for now", unreceipted.path("receipt").isNull());
            expect(201, call("POST", API + "/installs", buyer, "{\"app\":" + free + "}"));
        } finally {
            receipts.start();
        }
        JsonNode installed = expect(201, await("premium installs back", () -> call("POST", API + "/installs", later,
                "{\"app\":" + app + "}"), response -> response.statusCode() == 201));
        String issued = installed.path("receipts").get(0).asText();
        assertEquals("ok", expect(200, await("the verifier back", () -> verify(app, issued), response -> response.statusCode() == 200))
                .path("status").asText());
        JsonNode mine = expect(200, call("GET", API + "/account/purchases/mine", later, null));
        assertEquals("the purchase keeps the receipt its install issued", issued, mine.path("objects").get(0).path("receipt").asText());
        assertEquals("ok", expect(200, verify(app, receipt)).path("status").asText());
    }


    private String shell(String command) {
        return KarafShell.run(shells, command);
    }

    /** Between prepare and the provider's notification, HBase (the primary) goes; the mirror serves, and the purchase survives. */
    @Test
    @RequiresServers({"HBASE_ZK_QUORUM", "HBASE_ZK_PORT", "MYSQL_URL"})
    public void aPurchaseSurvivesHBaseGoingBetweenPrepareAndNotification() throws Exception {
        String adminToken = useHBaseMirroredToMysql();
        try {
            long app = premiumApp("Mirrored Paid Game");
            String buyer = loginAs("hbase-buyer");
            JsonNode prepared = expect(201, prepare(buyer, app));
            String uuid = prepared.path("purchase").path("uuid").asText();

            features.uninstallFeature("openwebapps-storage-hbase", NO_REFRESH);
            JsonNode paid = act(sessionPath(prepared), "pay");
            assertEquals(paid.toString(), 200, paid.path("delivered_status").asInt());
            JsonNode completed = purchase(buyer, uuid);
            assertEquals("COMPLETED", completed.path("state").asText());
            expect(201, call("POST", API + "/installs", buyer, "{\"app\":" + app + "}"));
            assertEquals(List.of("applied"), outcomes(loginAs("reviewer"), uuid));
            assertEquals("ok", expect(200, verify(app, completed.path("receipt").asText())).path("status").asText());

            features.installFeature("openwebapps-storage-hbase", NO_REFRESH);
            awaitReplayed(adminToken);
            reconfigure("org.openwebapps.storage.router", Map.of("primary", "hbase", "mirror", "",
                    "probe.interval.ms", 200, ".admin.token", adminToken));
            JsonNode onHBase = purchase(buyer, uuid);
            assertEquals("HBase has the completed purchase", "COMPLETED", onHBase.path("state").asText());
            assertEquals(paid.path("transaction_id").asText(), onHBase.path("transaction_id").asText());
            assertEquals(200, act(sessionPath(prepared), "repeat").path("delivered_status").asInt());
            assertEquals(List.of("duplicate", "applied"), outcomes(loginAs("reviewer"), uuid));
        } finally {
            useEmbeddedStorage();
        }
    }
}
