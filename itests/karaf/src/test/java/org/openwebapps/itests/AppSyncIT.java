package org.openwebapps.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.inject.Inject;

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

/**
 * The AppSync protocol end to end in the real distribution, with real BrowserID assertions from a
 * test IdP: login, read/write/since/until, delete and recreate, lastget, tokens, two devices
 * syncing, concurrent writers, bad input, poll headers, CORS and storage outages.
 */
@RunWith(ServerExam.class)
@ExamReactorStrategy(PerClass.class)
public class AppSyncIT extends ServerTestSupport {

    private static final String SITE = "https://myapps.example";
    private static final EnumSet<FeaturesService.Option> NO_REFRESH = EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles);

    @Inject
    private FeaturesService features;

    private TestIdp idp;

    /** A logged-in client: its collection URL and Authorization header. */
    private record Device(String email, String collectionUrl, String authorization) {
    }

    @Before
    public void setUp() throws Exception {
        idp = TestIdp.start(Algorithm.RS256);
        allowLocalFetches();
        configureAppSync(0);
    }

    @After
    public void tearDown() {
        idp.close();
    }

    private void configureAppSync(int pollSeconds) throws Exception {
        reconfigure("org.openwebapps.appsync", Map.of("audiences", SITE, "app.id", SITE, "poll.seconds", pollSeconds,
                "retry.after.seconds", 7, "max.body.bytes", 65536, "max.records", 50, "page.size", 25,
                "cors.origins", "https://dashboard.example"));
        String probe = idp.email("probe");
        await("AppSync serving", () -> verify(idp.assertion(probe, SITE), SITE), r -> r.statusCode() == 200);
    }

    // --- helpers ----------------------------------------------------------------------------------

    private static String q(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private HttpResponse<String> verify(String assertion, String audience) {
        return post("/verify", "application/x-www-form-urlencoded", "assertion=" + q(assertion) + "&audience=" + q(audience));
    }

    private Device login(String name) {
        String email = idp.email(name);
        HttpResponse<String> response = verify(idp.assertion(email, SITE), SITE);
        assertEquals(response.body(), 200, response.statusCode());
        JsonNode body = json(response);
        return new Device(email, body.path("collection_url").asText(), body.path("http_authorization").asText());
    }

    private HttpResponse<String> get(Device device, String query) {
        return send(HttpRequest.newBuilder(URI.create(device.collectionUrl() + query))
                .timeout(Duration.ofSeconds(10)).header("Authorization", device.authorization()).GET().build());
    }

    /** POSTs like the 2011 client: JSON, no Content-Type. */
    private HttpResponse<String> post(Device device, String query, String json) {
        return send(HttpRequest.newBuilder(URI.create(device.collectionUrl() + query))
                .timeout(Duration.ofSeconds(10)).header("Authorization", device.authorization())
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static String app(String origin, long clientMillis, boolean deleted) {
        return deleted ? "{\"origin\":\"" + origin + "\",\"deleted\":true,\"last_modified\":" + clientMillis + "}"
                : "{\"origin\":\"" + origin + "\",\"manifest\":{\"name\":\"" + origin + "\"},\"install_time\":"
                        + clientMillis + ",\"last_modified\":" + clientMillis + "}";
    }

    private static Set<String> keys(JsonNode object) {
        Set<String> keys = new HashSet<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    // --- login ------------------------------------------------------------------------------------

    @Test
    public void loginAnswersExactlyTheReferenceKeys() {
        String email = idp.email("t");
        HttpResponse<String> okay = verify(idp.assertion(email, SITE), SITE);
        assertEquals(okay.body(), 200, okay.statusCode());
        JsonNode body = json(okay);
        assertEquals(Set.of("status", "email", "audience", "valid-until", "issuer", "collection_url", "http_authorization"),
                keys(body));
        assertEquals("okay", body.path("status").asText());
        assertEquals(email, body.path("email").asText());
        assertEquals(SITE, body.path("audience").asText());
        assertEquals(idp.domain(), body.path("issuer").asText());
        assertTrue(body.path("valid-until").isNumber());
        assertTrue(body.path("valid-until").asDouble() > System.currentTimeMillis() / 1000.0);
        assertEquals(uri("/collections/" + email.replace("@", "%40").replace(":", "%3A") + "/apps").toString(),
                body.path("collection_url").asText());
        assertTrue(body.path("http_authorization").asText().startsWith("AppSync "));

        assertEquals(2, json(post("/verify", "application/x-www-form-urlencoded", "audience=" + q(SITE))).path("code").asInt());
        assertEquals(400, post("/verify", "application/x-www-form-urlencoded", "assertion=x").statusCode());
        String assertion = idp.assertion(email, SITE);
        String corrupted = assertion.substring(0, assertion.length() - 4) + (assertion.endsWith("AAAA") ? "BBBB" : "AAAA");
        HttpResponse<String> badSignature = verify(corrupted, SITE);
        assertEquals(401, badSignature.statusCode());
        assertEquals("failure", json(badSignature).path("status").asText());
        HttpResponse<String> wrongAudience = verify(idp.assertion(email, "https://other.example"), SITE);
        assertEquals(401, wrongAudience.statusCode());
        assertEquals(401, verify(idp.assertion(email, "https://other.example"), "https://other.example").statusCode());
    }

    @Test
    public void theCredentialTypeComesWithTheRequest() {
        String email = idp.email("typed");
        String assertion = q(idp.assertion(email, SITE));
        assertEquals(200, post("/verify", "application/x-www-form-urlencoded",
                "type=browserid&assertion=" + assertion + "&audience=" + q(SITE)).statusCode());
        HttpResponse<String> noSuchProvider = post("/verify", "application/x-www-form-urlencoded",
                "type=no-such-provider&assertion=" + assertion + "&audience=" + q(SITE));
        assertEquals(noSuchProvider.body(), 401, noSuchProvider.statusCode());
        assertEquals(400, post("/verify", "application/x-www-form-urlencoded",
                "type=Not%20A%20Type&assertion=" + assertion + "&audience=" + q(SITE)).statusCode());
    }

    @Test
    public void collectionUrlsFollowForwardedHeadersOnlyFromTrustedProxies() throws Exception {
        String email = idp.email("proxied");
        String form = "assertion=" + q(idp.assertion(email, SITE)) + "&audience=" + q(SITE);
        HttpRequest behindProxy = HttpRequest.newBuilder(uri("/verify")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "myapps.example")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        String direct = uri("/collections/").toString();
        assertTrue(json(send(behindProxy)).path("collection_url").asText().startsWith(direct));
        reconfigure("org.openwebapps.http.rest", Map.of("trusted.proxies", "127.0.0.1"));
        try {
            await("the proxy trusted", () -> json(send(behindProxy)).path("collection_url").asText(),
                    url -> url.startsWith("https://myapps.example/collections/"));
            String again = "assertion=" + q(idp.assertion(email, SITE)) + "&audience=" + q(SITE);
            assertTrue(json(post("/verify", "application/x-www-form-urlencoded", again)).path("collection_url").asText()
                    .startsWith(direct)); // the same peer without the headers: its own address
        } finally {
            configurationAdmin.getConfiguration("org.openwebapps.http.rest", null).delete();
        }
    }

    // --- the protocol -----------------------------------------------------------------------------

    @Test
    public void readWriteSinceDeleteRecreateAndLastget() {
        readWriteSinceDeleteRecreateAndLastget("alice");
    }

    /** @param user a user with no collection yet */
    private void readWriteSinceDeleteRecreateAndLastget(String user) {
        Device device = login(user);
        HttpResponse<String> empty = get(device, "");
        assertEquals(empty.body(), 200, empty.statusCode());
        assertEquals(Set.of("since", "until", "uuid", "applications"), keys(json(empty)));
        assertTrue(empty.body(), empty.body().contains("\"since\":0.00"));
        assertTrue(json(empty).path("uuid").isNull());
        assertEquals(0, json(empty).path("applications").size());

        HttpResponse<String> written = post(device, "", "[" + app("https://a.example", 1000, false) + ","
                + app("https://b.example", 1001, false) + "]");
        assertEquals(written.body(), 200, written.statusCode());
        BigDecimal received = json(written).path("received").decimalValue();
        assertEquals(2, received.scale());

        JsonNode all = json(get(device, "?since=0"));
        assertEquals(all.toString(), 2, all.path("applications").size());
        assertEquals(received, all.path("until").decimalValue());
        String uuid = all.path("uuid").asText();
        assertFalse(uuid.isEmpty());
        assertEquals("https://a.example", all.path("applications").get(0).path("origin").asText());
        assertEquals("https://a.example", all.path("applications").get(0).path("manifest").path("name").asText());

        HttpResponse<String> nothingNew = get(device, "?since=" + received.toPlainString());
        assertEquals(0, json(nothingNew).path("applications").size());
        assertEquals(received, json(nothingNew).path("until").decimalValue());

        BigDecimal second = json(post(device, "", "[" + app("https://a.example", 2000, true) + "]")).path("received").decimalValue();
        assertTrue(second.compareTo(received) > 0);
        JsonNode changes = json(get(device, "?since=" + received.toPlainString()));
        assertEquals(1, changes.path("applications").size());
        assertTrue(changes.path("applications").get(0).path("deleted").asBoolean());
        assertEquals(second, changes.path("until").decimalValue());

        assertEquals(412, post(device, "?lastget=" + received.toPlainString(), "[" + app("https://c.example", 1, false) + "]")
                .statusCode());
        assertEquals(200, post(device, "?lastget=" + second.toPlainString(), "[]").statusCode());

        HttpResponse<String> deleted = post(device, "?delete", "{\"client_id\":\"device-1\",\"reason\":\"reset\"}");
        assertEquals(deleted.body(), 200, deleted.statusCode());
        JsonNode marker = json(get(device, "?since=0"));
        assertEquals(Set.of("collection_deleted"), keys(marker));
        assertEquals("device-1", marker.path("collection_deleted").path("client_id").asText());
        assertEquals("reset", marker.path("collection_deleted").path("reason").asText());
        assertEquals(400, post(device, "?delete", "{\"reason\":\"no client\"}").statusCode());

        assertEquals(200, post(device, "", "[" + app("https://d.example", 3000, false) + "]").statusCode());
        JsonNode recreated = json(get(device, "?since=0"));
        assertNotEquals(uuid, recreated.path("uuid").asText());
        assertEquals(1, recreated.path("applications").size());
        assertEquals("https://d.example", recreated.path("applications").get(0).path("origin").asText());
    }

    @Test
    public void tokensAreBoundToTheirUser() {
        Device alice = login("alice2");
        Device bob = login("bob2");
        assertEquals(200, post(bob, "", "[" + app("https://bob.example", 1, false) + "]").statusCode());

        Device aliceOnBobsPath = new Device(alice.email(), bob.collectionUrl(), alice.authorization());
        assertEquals(401, get(aliceOnBobsPath, "").statusCode());
        assertEquals(401, post(aliceOnBobsPath, "", "[]").statusCode());
        // Bob's name in the header, Alice's token inside
        String aliceToken = alice.authorization().substring(alice.authorization().lastIndexOf(':') + 1);
        String forged = bob.authorization().substring(0, bob.authorization().lastIndexOf(':') + 1) + aliceToken;
        assertEquals(401, get(new Device(bob.email(), bob.collectionUrl(), forged), "").statusCode());
        assertEquals(401, get(new Device(bob.email(), bob.collectionUrl(), "AppSync a:b:c"), "").statusCode());
        HttpResponse<String> none = send(HttpRequest.newBuilder(URI.create(bob.collectionUrl())).GET().build());
        assertEquals(401, none.statusCode());
        assertEquals("failure", json(none).path("status").asText());
        assertEquals(1, json(get(bob, "")).path("applications").size());
    }

    // --- devices syncing ----------------------------------------------------------------------------

    /** Every read is counted once, by where its answer came from; polls with nothing new come from the cache. */
    @Test
    public void theMetricsTellPollsAnsweredFromTheCacheFromThoseThatReadStorage() {
        Device laptop = login("metered");
        post(laptop, "", "[" + app("https://metered.example", 1, false) + "]");
        String cache = "owa_appsync_reads_total{answered=\"cache\"}";
        String storage = "owa_appsync_reads_total{answered=\"storage\"}";
        double cachedBefore = metric(cache);
        double readBefore = metric(storage);
        BigDecimal since = json(get(laptop, "?since=0")).path("until").decimalValue();
        for (int poll = 0; poll < 5; poll++) {
            assertEquals(0, json(get(laptop, "?since=" + since.toPlainString())).path("applications").size());
        }
        double cached = metric(cache) - cachedBefore;
        double read = metric(storage) - readBefore;
        assertEquals("six reads", 6, cached + read, 0.0);
        assertTrue("the first read and the first nothing-new read go to storage: " + read, read >= 2);
        assertTrue("later nothing-new polls within poll.cache.millis come from the cache: " + cached, cached >= 1);
    }

    /** A poll that found nothing new is remembered (poll.cache.millis); a write through the node ends that at once. */
    @Test
    public void aPollRightAfterAWriteSeesIt() {
        Device laptop = login("erin");
        Device phone = login("erin");
        post(laptop, "", "[" + app("https://first.example", 1, false) + "]");
        BigDecimal since = json(get(phone, "?since=0")).path("until").decimalValue();
        for (int round = 0; round < 20; round++) {
            JsonNode nothing = json(get(phone, "?since=" + since.toPlainString()));
            assertEquals(0, nothing.path("applications").size());
            assertEquals(json(get(phone, "?since=" + since.toPlainString())).toString(), nothing.toString());

            String origin = "https://app" + round + ".example";
            assertEquals(200, post(laptop, "", "[" + app(origin, round, false) + "]").statusCode());
            JsonNode next = json(get(phone, "?since=" + since.toPlainString()));
            assertEquals(next.toString(), 1, next.path("applications").size());
            assertEquals(origin, next.path("applications").get(0).path("origin").asText());
            since = next.path("until").decimalValue();
        }
        HttpResponse<String> deleted = post(laptop, "?delete", "{\"client_id\":\"laptop\",\"reason\":\"reset\"}");
        assertEquals(200, deleted.statusCode());
        assertEquals("laptop", json(get(phone, "?since=" + since.toPlainString())).path("collection_deleted")
                .path("client_id").asText());
    }

    @Test
    public void twoDevicesSeeInstallsUninstallsAndReinstalls() {
        Device laptop = login("carol");
        Device phone = login("carol"); // the same user on another device
        BigDecimal laptopSince = BigDecimal.ZERO.setScale(2);
        BigDecimal phoneSince = BigDecimal.ZERO.setScale(2);

        post(laptop, "", "[" + app("https://game.example", 10, false) + "]");
        JsonNode seen = json(get(phone, "?since=" + phoneSince.toPlainString()));
        assertEquals("https://game.example", seen.path("applications").get(0).path("origin").asText());
        phoneSince = seen.path("until").decimalValue();

        post(phone, "", "[" + app("https://game.example", 20, true) + "]"); // uninstalled on the phone
        JsonNode tombstone = json(get(laptop, "?since=" + laptopSince.toPlainString()));
        assertEquals(1, tombstone.path("applications").size());
        assertTrue(tombstone.path("applications").get(0).path("deleted").asBoolean());
        laptopSince = tombstone.path("until").decimalValue();

        post(laptop, "", "[" + app("https://game.example", 30, false) + "]"); // reinstalled
        JsonNode again = json(get(phone, "?since=" + phoneSince.toPlainString()));
        assertEquals(1, again.path("applications").size());
        assertFalse(again.path("applications").get(0).has("deleted"));
        assertEquals(json(get(laptop, "?since=" + laptopSince.toPlainString())).path("uuid").asText(),
                again.path("uuid").asText());
    }

    @Test
    public void concurrentWritersLoseNothingAndSinceNeverMissesOrRepeats() throws Exception {
        Device reader = login("dave");
        int writers = 4;
        int postsEach = 10;
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        Map<String, Integer> seen = new HashMap<>();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                Device device = login("dave");
                done.add(pool.submit(() -> {
                    for (int p = 0; p < postsEach; p++) {
                        HttpResponse<String> response = post(device, "", "[" + app("https://w" + writer + "-" + p + ".example", p, false) + "]");
                        assertEquals(response.body(), 200, response.statusCode());
                    }
                    return null;
                }));
            }
            BigDecimal since = BigDecimal.ZERO.setScale(2);
            // poll while they write, then once more after they are done
            Future<?> all = pool.submit(() -> {
                for (Future<?> future : done) {
                    future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                }
                writing.set(false);
                return null;
            });
            boolean last = false;
            while (true) {
                boolean finished = !writing.get();
                JsonNode page = json(get(reader, "?since=" + since.toPlainString()));
                for (Iterator<JsonNode> apps = page.path("applications").elements(); apps.hasNext();) {
                    seen.merge(apps.next().path("origin").asText(), 1, Integer::sum);
                }
                BigDecimal until = page.path("until").decimalValue();
                assertTrue(until.compareTo(since) >= 0);
                since = until;
                if (page.path("incomplete").asBoolean()) {
                    continue;
                }
                if (last) {
                    break;
                }
                last = finished;
            }
            all.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals("every write seen: " + seen.keySet(), writers * postsEach, seen.size());
        assertTrue("none seen twice: " + seen, seen.values().stream().allMatch(count -> count == 1));
    }

    @Test
    @RequiresServers({"HBASE_ZK_QUORUM", "HBASE_ZK_PORT", "MYSQL_URL"})
    public void theProtocolOnHBaseAndOnMysql() throws Exception {
        for (String backend : List.of("hbase", "mysql")) {
            if (backend.equals("hbase")) {
                configureHBase();
            } else {
                configureMysql();
            }
            features.installFeature("openwebapps-storage-" + backend, NO_REFRESH);
            try {
                reconfigure("org.openwebapps.sauropod", Map.of("storage.target", "(storage.name=" + backend + ")"));
                Device probe = login("probe-" + backend);
                await("AppSync on " + backend, () -> get(probe, "?since=0"), r -> r.statusCode() == 200);
                readWriteSinceDeleteRecreateAndLastget();
                twoDevicesSeeInstallsUninstallsAndReinstalls();
            } finally {
                reconfigure("org.openwebapps.sauropod", Map.of("storage.target", "(storage.name=embedded)"));
                features.uninstallFeature("openwebapps-storage-" + backend, NO_REFRESH);
            }
        }
    }

    /**
     * AppSync on the router with HBase primary and MySQL mirror; the primary is uninstalled in the
     * middle and comes back. A device that keeps syncing with {@code since} sees every write exactly
     * once, with the same collection uuid throughout (never forced to re-sync), and the whole
     * protocol passes on the mirror and again on the returned primary.
     */
    @Test
    @RequiresServers({"HBASE_ZK_QUORUM", "HBASE_ZK_PORT", "MYSQL_URL"})
    public void theProtocolOnHBaseMirroredToMysqlWhileThePrimaryGoesAndReturns() throws Exception {
        configureHBase();
        configureMysql();
        features.installFeature("openwebapps-storage-hbase", NO_REFRESH);
        features.installFeature("openwebapps-storage-mysql", NO_REFRESH);
        String adminToken = UUID.randomUUID().toString();
        try {
            reconfigure("org.openwebapps.storage.router", Map.of("primary", "hbase", "mirror", "mysql",
                    "probe.interval.ms", 200, ".admin.token", adminToken));
            reconfigure("org.openwebapps.sauropod", Map.of("storage.target", "(storage.name=router)"));
            Device laptop = login("mirrored");
            Device phone = login("mirrored");
            await("AppSync on HBase mirrored to MySQL", () -> get(phone, "?since=0"), r -> r.statusCode() == 200);

            post(laptop, "", "[" + app("https://one.example", 10, false) + "]");
            JsonNode first = json(get(phone, "?since=0"));
            String uuid = first.path("uuid").asText();

            features.uninstallFeature("openwebapps-storage-hbase", NO_REFRESH);
            post(laptop, "", "[" + app("https://two.example", 20, false) + "]");
            JsonNode second = json(get(phone, "?since=" + first.path("until").decimalValue().toPlainString()));
            assertEquals(List.of("https://two.example"), origins(second));
            assertEquals("no re-sync while the mirror serves", uuid, second.path("uuid").asText());
            readWriteSinceDeleteRecreateAndLastget("alice-on-the-mirror");

            features.installFeature("openwebapps-storage-hbase", NO_REFRESH);
            await("the primary caught up", () -> send(HttpRequest.newBuilder(uri("/admin/storage/replay"))
                    .header("Authorization", "Bearer " + adminToken).POST(HttpRequest.BodyPublishers.noBody()).build()),
                    r -> r.statusCode() == 200 && RouterStatus.caughtUp(json(r), 2));
            post(laptop, "", "[" + app("https://three.example", 30, false) + "]");
            JsonNode third = json(get(phone, "?since=" + second.path("until").decimalValue().toPlainString()));
            assertEquals(List.of("https://three.example"), origins(third));
            assertEquals("no re-sync after the primary returned", uuid, third.path("uuid").asText());
            assertEquals(List.of("https://one.example", "https://two.example", "https://three.example"),
                    origins(json(get(phone, "?since=0"))));
            readWriteSinceDeleteRecreateAndLastget("alice-on-the-returned-primary");
            twoDevicesSeeInstallsUninstallsAndReinstalls();
        } finally {
            reconfigure("org.openwebapps.storage.router", Map.of("primary", "embedded"));
            for (String backend : List.of("openwebapps-storage-hbase", "openwebapps-storage-mysql")) {
                if (features.isInstalled(features.getFeature(backend))) { // a failure may have left it out
                    features.uninstallFeature(backend, NO_REFRESH);
                }
            }
        }
    }

    private static List<String> origins(JsonNode page) {
        List<String> origins = new ArrayList<>();
        page.path("applications").forEach(app -> origins.add(app.path("origin").asText()));
        return origins;
    }

    // --- limits, bad input, headers, outages --------------------------------------------------------

    @Test
    public void badInputIs4xxJsonAndWritesNothing() {
        Device device = login("erin");
        for (String since : List.of("", "NaN", "Infinity", "abc", "1e400", "0x10")) {
            HttpResponse<String> response = get(device, "?since=" + q(since));
            assertEquals(since, 400, response.statusCode());
            assertEquals(since, 1, json(response).path("code").asInt());
        }
        assertEquals(0, json(post(device, "", "not json")).path("code").asInt());
        assertEquals(2, json(post(device, "", "[{\"no\":\"origin\"}]")).path("code").asInt());
        assertEquals(2, json(post(device, "", "[1,2]")).path("code").asInt());
        assertEquals(2, json(post(device, "", "[{\"origin\":42}]")).path("code").asInt());
        assertEquals(2, json(post(device, "", "\"text\"")).path("code").asInt());
        assertEquals(413, post(device, "", "[" + "{\"origin\":\"x\"},".repeat(60) + "{\"origin\":\"y\"}]").statusCode());
        assertEquals(413, post(device, "", "[{\"origin\":\"big\",\"pad\":\"" + "x".repeat(70_000) + "\"}]").statusCode());
        Device oddUser = new Device(device.email(), device.collectionUrl().replace("/apps", "%2Fx/apps"), device.authorization());
        assertEquals(401, get(oddUser, "").statusCode());
        JsonNode nothing = json(get(device, "?since=0"));
        assertTrue(nothing.path("uuid").isNull());
        assertEquals(0, nothing.path("applications").size());
        assertEquals(200, get("/__heartbeat__").statusCode());
    }

    @Test
    public void pagesNeverSplitOneTimestampAndPollHeadersFollowTheConfiguration() throws Exception {
        Device device = login("frank");
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 40; i++) {
            many.append(i == 0 ? "" : ",").append(app("https://p" + i + ".example", i, false));
        }
        assertEquals(200, post(device, "", many.append(']').toString()).statusCode());
        JsonNode page = json(get(device, "?since=0"));
        assertEquals("one POST = one timestamp: returned whole", 40, page.path("applications").size());

        configureAppSync(45);
        HttpResponse<String> polled = get(device, "?since=0");
        assertEquals("45", polled.headers().firstValue("X-Sync-Poll").orElse(""));
        assertEquals("45", polled.headers().firstValue("X-Sync-Poll-Time").orElse(""));
        configureAppSync(0);
        assertTrue(get(device, "?since=0").headers().firstValue("X-Sync-Poll").isEmpty());
    }

    @Test
    public void corsForTheConfiguredDashboard() {
        Device device = login("gina");
        HttpResponse<String> allowed = send(HttpRequest.newBuilder(URI.create(device.collectionUrl()))
                .header("Authorization", device.authorization()).header("Origin", "https://dashboard.example").GET().build());
        assertEquals("https://dashboard.example", allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        HttpResponse<String> preflight = send(HttpRequest.newBuilder(URI.create(device.collectionUrl()))
                .header("Origin", "https://dashboard.example").header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertTrue(preflight.statusCode() < 300);
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Authorization"));
        HttpResponse<String> other = send(HttpRequest.newBuilder(URI.create(device.collectionUrl()))
                .header("Authorization", device.authorization()).header("Origin", "https://evil.example").GET().build());
        assertTrue(other.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }

    @Test
    public void withoutStorageEvery503CarriesRetryAfter() throws Exception {
        Device device = login("hal");
        features.uninstallFeature("openwebapps-storage-embedded", NO_REFRESH);
        try {
            HttpResponse<String> unavailable = await("AppSync without storage", () -> get(device, "?since=0"),
                    r -> r.statusCode() == 503);
            assertEquals("7", unavailable.headers().firstValue("Retry-After").orElse(""));
            HttpResponse<String> writing = post(device, "", "[" + app("https://x.example", 1, false) + "]");
            assertEquals(503, writing.statusCode());
            assertEquals("7", writing.headers().firstValue("Retry-After").orElse(""));
            assertEquals("error", json(awaitStatus("GET", "/__heartbeat__", 503)).path("checks").path("appsync")
                    .path("status").asText());
        } finally {
            features.installFeature("openwebapps-storage-embedded", NO_REFRESH);
        }
        await("AppSync with storage again", () -> get(device, "?since=0"), r -> r.statusCode() == 200);
    }
}
