package org.openwebapps.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

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

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
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
        expect(201, call("POST", API + "/installs", buyer, "{\"app\":" + app + "}"));

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
            assertEquals("COMPLETED", purchase(buyer, uuid).path("state").asText());
            expect(201, call("POST", API + "/installs", buyer, "{\"app\":" + app + "}"));
            assertEquals(List.of("applied"), outcomes(loginAs("reviewer"), uuid));

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
