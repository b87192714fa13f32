package org.openwebapps.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.karaf.features.FeaturesService;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.openwebapps.browserid.Algorithm;
import org.openwebapps.itests.browserid.TestIdp;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import javax.inject.Inject;

/**
 * Sauropod's HTTP API in the real distribution, with real BrowserID logins from a test IdP: every
 * status of the contract, the access rule, tokens (forged, truncated, expired, rotated keys),
 * conditional-write races, bad input, and the storage backend swapped while clients call. The API
 * suite runs on the embedded backend, then on MySQL and on HBase.
 */
@RunWith(ServerExam.class)
@ExamReactorStrategy(PerClass.class)
public class SauropodIT extends ServerTestSupport {

    private static final String PID = "org.openwebapps.sauropod";
    private static final String APP = "https://myapps.example";
    private static final String OTHER_APP = "https://other.example";
    private static final String KEY1 = "k1:" + Base64.getEncoder().encodeToString("first key, thirty-two bytes long".getBytes(StandardCharsets.US_ASCII));
    private static final String KEY2 = "k2:" + Base64.getEncoder().encodeToString("second key, 32 bytes long as well".getBytes(StandardCharsets.US_ASCII));
    private static final EnumSet<FeaturesService.Option> NO_REFRESH = EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles);

    @Inject
    private FeaturesService features;

    private TestIdp idp;

    @Before
    public void setUp() throws Exception {
        idp = TestIdp.start(Algorithm.RS256);
        allowLocalFetches();
        configureSauropod("(storage.name=embedded)", KEY1, 3600);
    }

    @After
    public void tearDown() {
        idp.close();
    }

    private void configureSauropod(String storage, String keys, int ttlSeconds) throws Exception {
        reconfigure(PID, Map.of("audiences", APP + "," + OTHER_APP, "storage.target", storage, ".token.keys", keys,
                "token.ttl.seconds", ttlSeconds, "max.value.bytes", 4096));
        String probe = idp.email("probe");
        await("Sauropod serving", () -> startSession(probe, APP), response -> response.statusCode() == 200);
    }

    // --- HTTP helpers ----------------------------------------------------------------------------

    private HttpResponse<String> startSession(String email, String audience) {
        return post("/session/start", "application/x-www-form-urlencoded",
                "assertion=" + q(idp.assertion(email, audience)) + "&audience=" + q(audience));
    }

    private String token(String email) {
        HttpResponse<String> response = startSession(email, APP);
        assertEquals(response.body(), 200, response.statusCode());
        return response.body();
    }

    private static String q(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String keyPath(String app, String user, String key) {
        return "/app/" + q(app) + "/users/" + q(user) + "/keys/" + q(key);
    }

    private HttpResponse<String> call(String method, String path, String token, String contentType, String body,
            String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Signature", token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    private HttpResponse<String> put(String token, String user, String key, String value, String... headers) {
        return call("PUT", keyPath(APP, user, key), token, "application/x-www-form-urlencoded", "value=" + q(value), headers);
    }

    private HttpResponse<String> getKey(String token, String user, String key) {
        return call("GET", keyPath(APP, user, key), token, null, null);
    }

    private static void assertError(HttpResponse<String> response, int status) {
        assertEquals(response.body(), status, response.statusCode());
        assertEquals(response.body(), status, json(response).path("status").asInt());
    }

    // --- the API on the embedded backend, then MySQL and HBase -----------------------------------------

    @Test
    public void theApiOnTheEmbeddedBackend() throws Exception {
        exerciseApi();
    }

    @Test
    @RequiresServers({"MYSQL_URL"})
    public void theApiOnMysql() throws Exception {
        configureMysql();
        features.installFeature("openwebapps-storage-mysql", NO_REFRESH);
        try {
            configureSauropod("(storage.name=mysql)", KEY1, 3600);
            exerciseApi();
        } finally {
            configureSauropod("(storage.name=embedded)", KEY1, 3600);
            features.uninstallFeature("openwebapps-storage-mysql", NO_REFRESH);
        }
    }

    @Test
    @RequiresServers({"HBASE_ZK_QUORUM", "HBASE_ZK_PORT"})
    public void theApiOnHBase() throws Exception {
        configureHBase();
        features.installFeature("openwebapps-storage-hbase", NO_REFRESH);
        try {
            configureSauropod("(storage.name=hbase)", KEY1, 3600);
            exerciseApi();
        } finally {
            configureSauropod("(storage.name=embedded)", KEY1, 3600);
            features.uninstallFeature("openwebapps-storage-hbase", NO_REFRESH);
        }
    }

    private void exerciseApi() throws Exception {
        String alice = idp.email("alice-" + System.nanoTime());
        String token = token(alice);

        // write, read, conditional writes
        HttpResponse<String> created = put(token, alice, "apps/one", "{\"n\":1}", "If-None-Match", "*");
        assertEquals(created.body(), 204, created.statusCode());
        String etag = created.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> read = getKey(token, alice, "apps/one");
        assertEquals(read.body(), 200, read.statusCode());
        assertEquals(etag, read.headers().firstValue("ETag").orElseThrow());
        JsonNode record = json(read);
        assertEquals("apps/one", record.path("key").asText());
        assertEquals("{\"n\":1}", record.path("value").asText());
        assertEquals(alice, record.path("user").asText());
        assertEquals(APP, record.path("bucket").asText());
        assertTrue(record.path("timestamp").asLong() > 0);

        assertError(put(token, alice, "apps/one", "x", "If-None-Match", "*"), 412);
        assertError(put(token, alice, "apps/one", "x", "If-None-Match", "\"abc\""), 400);
        HttpResponse<String> updated = put(token, alice, "apps/one", "{\"n\":2}", "If-Match", etag);
        assertEquals(204, updated.statusCode());
        String newer = updated.headers().firstValue("ETag").orElseThrow();
        assertNotEquals(etag, newer);
        assertError(put(token, alice, "apps/one", "stale", "If-Match", etag), 412);
        assertEquals("{\"n\":2}", json(getKey(token, alice, "apps/one")).path("value").asText());
        assertError(call("PUT", keyPath(APP, alice, "apps/one"), token, "application/x-www-form-urlencoded", "other=1"), 400);
        HttpResponse<String> viaJson = call("PUT", keyPath(APP, alice, "json"), token, "application/json",
                "{\"value\":\"from json\"}");
        assertEquals(204, viaJson.statusCode());

        // odd keys stay within (bucket, user) and round-trip
        for (String key : List.of("a/b/c", "50%", "%2F", "ключ ☃", "k".repeat(256), "../../bob")) {
            assertEquals(key, 204, put(token, alice, key, "v:" + key).statusCode());
            assertEquals(key, "v:" + key, json(getKey(token, alice, key)).path("value").asText());
        }
        assertError(put(token, alice, "k".repeat(257), "v"), 400);
        assertError(put(token, alice, "big", "x".repeat(4097)), 413);

        // listing: newline-separated quoted keys, or JSON; start/end/limit
        HttpResponse<String> listing = call("GET", "/app/" + q(APP) + "/users/" + q(alice) + "/keys/", token, null, null);
        assertEquals(200, listing.statusCode());
        assertTrue(listing.headers().firstValue("Content-Type").orElse("").startsWith("application/newlines"));
        assertTrue(listing.body(), listing.body().contains("a%2Fb%2Fc\n"));
        JsonNode keys = json(call("GET", "/app/" + q(APP) + "/users/" + q(alice) + "/keys/?start=apps&end=apps%2Fz&limit=5",
                token, null, null, "Accept", "application/json"));
        assertEquals(keys.toString(), 1, keys.size());
        assertEquals("apps/one", keys.get(0).asText());
        assertError(call("GET", "/app/" + q(APP) + "/users/" + q(alice) + "/keys/?limit=x", token, null, null), 400);

        // delete
        assertError(call("DELETE", keyPath(APP, alice, "apps/one"), token, null, null, "If-Match", etag), 412);
        assertEquals(204, call("DELETE", keyPath(APP, alice, "apps/one"), token, null, null, "If-Match", newer).statusCode());
        assertError(getKey(token, alice, "apps/one"), 404);
        assertError(call("DELETE", keyPath(APP, alice, "apps/one"), token, null, null), 404);

        conditionalWritesLoseNothing(token, alice);
    }

    /** N clients read-modify-write one counter with If-Match: its final value is the number of successful writes. */
    private void conditionalWritesLoseNothing(String token, String user) throws Exception {
        assertEquals(204, put(token, user, "counter", "0").statusCode());
        int clients = 8;
        int attemptsEach = 15;
        AtomicInteger successes = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < attemptsEach; i++) {
                        HttpResponse<String> current = getKey(token, user, "counter");
                        assertEquals(current.body(), 200, current.statusCode());
                        int value = Integer.parseInt(json(current).path("value").asText());
                        HttpResponse<String> written = put(token, user, "counter", String.valueOf(value + 1),
                                "If-Match", current.headers().firstValue("ETag").orElseThrow());
                        if (written.statusCode() == 204) {
                            successes.incrementAndGet();
                        } else {
                            assertEquals(written.body(), 412, written.statusCode());
                            conflicts.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(clients * attemptsEach, successes.get() + conflicts.get());
        assertTrue("some writes succeed", successes.get() > 0);
        assertEquals(String.valueOf(successes.get()), json(getKey(token, user, "counter")).path("value").asText());
    }

    // --- sessions and the access rule ------------------------------------------------------------

    @Test
    public void sessionsStartFromBrowserIdAssertions() {
        String email = idp.email("carol");
        HttpResponse<String> plain = startSession(email, APP);
        assertEquals(200, plain.statusCode());
        assertTrue(plain.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));

        HttpResponse<String> asJson = send(HttpRequest.newBuilder(uri("/session/start")).header("Accept", "application/json")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"assertion\":\"" + idp.assertion(email, APP) + "\",\"audience\":\"" + APP + "\"}")).build());
        assertEquals(asJson.body(), 200, asJson.statusCode());
        assertEquals(email, json(asJson).path("user").asText());
        assertEquals(APP, json(asJson).path("bucket").asText());
        assertTrue(json(asJson).path("expires").asLong() > System.currentTimeMillis());
        assertNotNull(json(asJson).path("token").asText(null));

        assertError(post("/session/start", "application/x-www-form-urlencoded", "audience=" + q(APP)), 400);
        // an assertion made for APP, presented for another (allowed) app
        assertError(post("/session/start", "application/x-www-form-urlencoded",
                "assertion=" + q(idp.assertion(email, APP)) + "&audience=" + q(OTHER_APP)), 401);
        assertError(post("/session/start", "application/x-www-form-urlencoded",
                "assertion=JUNK&audience=" + q(APP)), 401);
        assertError(startSession(email, "https://not-allowed.example"), 403);
        assertError(post("/session/start", "text/plain", "assertion=x&audience=y"), 415);
    }

    @Test
    public void tokensOnlyReachTheirOwnAppAndUser() throws Exception {
        String alice = idp.email("alice");
        String bob = idp.email("bob");
        String aliceToken = token(alice);
        String bobToken = token(bob);
        assertEquals(204, put(bobToken, bob, "secret", "bob's").statusCode());

        assertError(getKey(aliceToken, bob, "secret"), 403);
        assertError(put(aliceToken, bob, "secret", "overwritten"), 403);
        assertError(call("DELETE", keyPath(APP, bob, "secret"), aliceToken, null, null), 403);
        assertError(call("GET", "/app/" + q(APP) + "/users/" + q(bob) + "/keys/", aliceToken, null, null), 403);
        assertError(call("GET", keyPath(OTHER_APP, alice, "secret"), aliceToken, null, null), 403);
        HttpResponse<String> otherAppSession = startSession(alice, OTHER_APP);
        assertEquals(200, otherAppSession.statusCode());
        assertError(getKey(otherAppSession.body(), alice, "secret"), 403);

        assertError(getKey(null, bob, "secret"), 401);
        assertError(getKey("", bob, "secret"), 401);
        assertError(getKey(bobToken.substring(0, bobToken.length() - 5), bob, "secret"), 401);
        String[] parts = bobToken.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[3].substring(0, 4)
                + (parts[3].charAt(4) == 'A' ? 'B' : 'A') + parts[3].substring(5);
        assertError(getKey(forged, bob, "secret"), 401);
        assertError(getKey("v1.k1.e30.AAAA", bob, "secret"), 401);
        assertEquals("bob's", json(getKey(bobToken, bob, "secret")).path("value").asText());
    }

    @Test
    public void tokensExpireAndKeysRotate() throws Exception {
        String dave = idp.email("dave");
        String signedByKey1 = token(dave);
        assertEquals(204, put(signedByKey1, dave, "k", "v").statusCode());

        configureSauropod("(storage.name=embedded)", KEY1 + "," + KEY2, 3600);
        assertEquals(200, getKey(signedByKey1, dave, "k").statusCode()); // the old key still verifies
        String signedByKey2 = token(dave);
        assertTrue(signedByKey2.startsWith("v1.k2."));

        configureSauropod("(storage.name=embedded)", KEY2, 3600);
        assertError(getKey(signedByKey1, dave, "k"), 401); // its key was removed
        assertEquals(200, getKey(signedByKey2, dave, "k").statusCode());

        configureSauropod("(storage.name=embedded)", KEY2, 1);
        String shortLived = token(dave);
        HttpResponse<String> expired = await("the token expiring", () -> getKey(shortLived, dave, "k"),
                response -> response.statusCode() != 200);
        assertError(expired, 401);
        assertEquals("token expired", json(expired).path("message").asText());
        configureSauropod("(storage.name=embedded)", KEY1, 3600);
    }

    // --- bad input --------------------------------------------------------------------------------

    @Test
    public void badInputIsA4xxWithJsonAndWritesNothing() throws Exception {
        String erin = idp.email("erin");
        String token = token(erin);
        String base = "/app/" + q(APP) + "/users/" + q(erin) + "/keys/";
        List<HttpResponse<String>> responses = List.of(
                // (a malformed escape such as %zz cannot be sent with java.net.http; RequestsTest covers it)
                call("PUT", base + "%C3%28", token, "application/x-www-form-urlencoded", "value=v"),
                call("PUT", base + "k".repeat(300), token, "application/x-www-form-urlencoded", "value=v"),
                call("PUT", base + "big", token, "application/x-www-form-urlencoded", "value=" + "x".repeat(5000)),
                call("PUT", base + "huge", token, "application/x-www-form-urlencoded", "value=" + "x".repeat(2_000_000)),
                call("PUT", base + "utf8", token, "application/x-www-form-urlencoded", "value=%C3%28"),
                call("PUT", base + "type", token, "text/plain", "value=v"),
                call("PUT", base + "json", token, "application/json", "{\"value\":"),
                call("PUT", base + "json2", token, "application/json", "[\"value\"]"),
                call("PUT", base + "json3", token, "application/json", "{\"value\":42}"),
                call("PUT", base + "nul", token, "application/x-www-form-urlencoded", "value=v", "If-Match", "\"a\",\"b\""),
                call("PUT", base + "both", token, "application/x-www-form-urlencoded", "value=v", "If-Match", "x",
                        "If-None-Match", "*"),
                call("PUT", base + "tok", "not a token ~~ !!", "application/x-www-form-urlencoded", "value=v"),
                call("GET", "/app/" + q("not an origin") + "/users/" + q(erin) + "/keys/k", token, null, null),
                call("GET", base + "?limit=0", token, null, null),
                call("POST", base + "k", token, "application/x-www-form-urlencoded", "value=v"));
        for (HttpResponse<String> response : responses) {
            assertTrue(response.uri() + " -> " + response.statusCode() + " " + response.body(),
                    response.statusCode() >= 400 && response.statusCode() < 500);
            assertTrue(response.uri() + " " + response.body(), json(response).has("status"));
        }
        JsonNode keys = json(call("GET", base, token, null, null, "Accept", "application/json"));
        assertEquals("nothing written: " + keys, 0, keys.size());
        assertEquals(200, get("/__heartbeat__").statusCode());
    }

    // --- the backend goes away and comes back while clients call -----------------------------------

    @Test
    public void withoutItsBackendSauropodAnswers503UntilItReturns() throws Exception {
        String frank = idp.email("frank");
        String token = token(frank);
        assertEquals(204, put(token, frank, "k", "0").statusCode());
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger withoutRetryAfter = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int client = c;
            running.add(clients.submit(() -> {
                while (!stop.get()) {
                    HttpResponse<String> response = client % 2 == 0 ? getKey(token, frank, "k")
                            : put(token, frank, "k", String.valueOf(client));
                    statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                    if (response.statusCode() == 503 && response.headers().firstValue("Retry-After").isEmpty()) {
                        withoutRetryAfter.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        try {
            features.uninstallFeature("openwebapps-storage-embedded", NO_REFRESH);
            await("clients answered 503", () -> getKey(token, frank, "k"), response -> response.statusCode() == 503);
            assertEquals("error", json(awaitStatus("GET", "/__heartbeat__", 503)).path("checks").path("sauropod")
                    .path("status").asText());
            features.installFeature("openwebapps-storage-embedded", NO_REFRESH);
            await("clients served again", () -> getKey(token, frank, "k"), response -> response.statusCode() == 200);
        } finally {
            stop.set(true);
            for (Future<?> future : running) {
                future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            clients.shutdownNow();
        }
        assertTrue(statuses.toString(), statuses.containsKey(503));
        for (int status : statuses.keySet()) {
            assertTrue("only 200, 204 and 503: " + statuses, status == 200 || status == 204 || status == 503);
        }
        assertEquals(0, withoutRetryAfter.get());
        assertEquals(204, put(token, frank, "k", "after").statusCode());
        assertEquals("after", json(getKey(token, frank, "k")).path("value").asText());
    }
}
