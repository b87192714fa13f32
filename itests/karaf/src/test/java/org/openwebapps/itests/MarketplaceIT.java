package org.openwebapps.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;


import com.fasterxml.jackson.databind.JsonNode;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The Marketplace end to end in the real distribution: real BrowserID sign-ins from a test IdP,
 * real manifests fetched from hosts on the loopback (allow-listed), the embedded storage through
 * the router, and installs read back with the unchanged AppSync protocol.
 */
@RunWith(ServerExam.class)
@ExamReactorStrategy(PerClass.class)
public class MarketplaceIT extends MarketplaceTestSupport {

    // --- the whole flow -------------------------------------------------------------------------------

    @Test
    public void submitReviewListInstallSyncAndUninstall() throws Exception {
        String developer = loginAs("dev");
        ManifestHost host = host("Space Race");

        JsonNode report = expect(200, call("POST", API + "/apps/validate", developer,
                "{\"manifest\":\"" + host.manifestUrl() + "\"}"));
        assertTrue(report.toString(), report.path("valid").asBoolean());
        assertEquals(host.origin(), report.path("origin").asText());
        assertEquals(0, report.path("errors").asInt());
        assertEquals(List.of(), ids(expect(200, call("GET", API + "/apps/mine", developer, null))));

        JsonNode app = submit(developer, host);
        long id = app.path("id").asLong();
        assertEquals("incomplete", app.path("status").asText());
        assertEquals("space-race", app.path("slug").asText());
        assertEquals(host.origin(), app.path("origin").asText());
        assertEquals(host.origin() + "/icon-128.png", app.path("icons").path("128").asText());
        assertEquals("Tester", app.path("developer").path("name").asText());
        assertEquals("free", app.path("premium_type").asText());
        assertTrue(app.path("price").isNull());
        assertEquals(API + "/apps/" + id, app.path("resource_uri").asText());

        // not public: invisible to others, visible to its owner and reviewers
        expectError(404, "not_found", call("GET", API + "/apps/" + id, null, null));
        expectError(404, "not_found", call("GET", API + "/apps/space-race", loginAs("stranger"), null));
        expect(200, call("GET", API + "/apps/space-race", developer, null));
        expect(200, call("GET", API + "/apps/" + id, loginAs("reviewer"), null));
        assertEquals(List.of(id), ids(expect(200, call("GET", API + "/apps/mine", developer, null))));

        expectError(400, "incomplete_metadata", call("POST", API + "/apps/" + id + "/submit", developer, null));
        expectError(400, "unknown_category", call("PATCH", API + "/apps/" + id, developer, "{\"categories\":[\"sports\"]}"));
        expect(200, call("PATCH", API + "/apps/" + id, developer, "{\"categories\":[\"games\"]}"));
        assertEquals("pending", expect(200, call("POST", API + "/apps/" + id + "/submit", developer, null))
                .path("status").asText());
        expectError(409, "bad_status", call("POST", API + "/apps/" + id + "/submit", developer, null));

        expectError(403, "forbidden", call("POST", API + "/apps/" + id + "/review", developer, "{\"action\":\"approve\"}"));
        String reviewerToken = loginAs("reviewer");
        assertTrue(ids(expect(200, call("GET", API + "/reviewers/queue", reviewerToken, null))).contains(id));
        expectError(403, "forbidden", call("GET", API + "/reviewers/queue", developer, null));
        expectError(409, "bad_status", call("POST", API + "/apps/" + id + "/review", reviewerToken, "{\"action\":\"enable\"}"));
        assertEquals("public", expect(200, call("POST", API + "/apps/" + id + "/review", reviewerToken,
                "{\"action\":\"approve\"}")).path("status").asText());
        expectError(409, "bad_status", call("DELETE", API + "/apps/" + id, developer, null));

        // listed: anyone finds it
        JsonNode found = expect(200, call("GET", API + "/apps?q=space%20RACE&category=games", null, null));
        assertEquals(List.of(id), ids(found));
        assertEquals(1, found.path("meta").path("total_count").asInt());
        assertTrue(found.path("meta").path("next").isNull());
        assertEquals(id, expect(200, call("GET", API + "/apps/space-race", null, null)).path("id").asLong());

        // installed from the store: on every device through AppSync
        String user = loginAs("user");
        String[] phone = device("user");
        long until = sync(phone, "0").path("until").asLong();
        JsonNode installed = expect(201, call("POST", API + "/installs", user, "{\"app\":" + id + "}"));
        assertEquals("done", installed.path("sync").asText());
        assertEquals(host.origin(), installed.path("origin").asText());
        long installTime = installed.path("install_time").asLong();
        JsonNode again = expect(202, call("POST", API + "/installs", user, "{\"app\":\"space-race\"}"));
        assertEquals(installTime, again.path("install_time").asLong());

        JsonNode document = appIn(sync(phone, "0"), host.origin());
        assertTrue("the install is in the user's AppSync collection", document != null);
        assertEquals(host.manifestUrl(), document.path("manifest_url").asText());
        assertEquals("Space Race", document.path("manifest").path("name").asText());
        assertEquals(STORE, document.path("install_origin").asText());
        assertEquals(installTime, document.path("install_time").asLong());
        assertTrue(document.path("install_data").path("receipts").isArray());
        assertTrue(document.path("last_modified").asLong() >= installTime);

        String[] laptop = device("user");
        JsonNode changes = sync(laptop, String.valueOf(until));
        assertTrue("a second device sees it with since", appIn(changes, host.origin()) != null);
        String laptopUntil = changes.path("until").asText();

        JsonNode mine = expect(200, call("GET", API + "/account/installed/mine", user, null));
        assertEquals(List.of(id), ids(mine));
        assertEquals(installTime, mine.path("objects").get(0).path("install_time").asLong());
        assertEquals(List.of(), ids(expect(200, call("GET", API + "/account/installed/mine", developer, null))));

        assertEquals(204, call("DELETE", API + "/installs/" + id, user, null).statusCode());
        JsonNode tombstone = appIn(sync(laptop, laptopUntil), host.origin());
        assertTrue("the uninstall reaches the other device", tombstone != null);
        assertTrue(tombstone.toString(), tombstone.path("deleted").asBoolean());
        expectError(404, "not_installed", call("DELETE", API + "/installs/" + id, user, null));
        assertEquals(List.of(), ids(expect(200, call("GET", API + "/account/installed/mine", user, null))));
    }

    @Test
    public void anOriginIsSubmittedOnceAndFreedByDeletion() throws Exception {
        String developer = loginAs("dev");
        ManifestHost host = host("Once");
        long id = submit(developer, host).path("id").asLong();
        expectError(409, "origin_taken", call("POST", API + "/apps", loginAs("other-dev"),
                "{\"manifest\":\"" + host.manifestUrl() + "\"}"));
        expectError(403, "forbidden", call("DELETE", API + "/apps/" + id, loginAs("reviewer"), null));
        assertEquals(204, call("DELETE", API + "/apps/" + id, developer, null).statusCode());
        expectError(404, "not_found", call("GET", API + "/apps/" + id, developer, null));
        JsonNode again = submit(developer, host);
        assertNotEquals(id, again.path("id").asLong());
        assertEquals("once", again.path("slug").asText());
    }

    @Test
    public void refreshRefetchesTheManifestAndKeepsTheAppWhenTheNewOneIsInvalid() throws Exception {
        String developer = loginAs("dev");
        ManifestHost host = host("Before");
        long id = submit(developer, host).path("id").asLong();
        host.serve(ManifestHost.manifest("After", STORE));
        String fetched = "owa_fetch_seconds_count{outcome=\"ok\"}";
        double fetchesBefore = metric(fetched);
        JsonNode refreshed = expect(200, call("POST", API + "/apps/" + id + "/refresh", developer, null));
        // at least: a sign-in may fetch an IdP's support document through it meanwhile
        assertTrue("the refresh went through the outbound fetcher", metric(fetched) >= fetchesBefore + 1);
        assertEquals("After", refreshed.path("name").asText());
        assertEquals("before", refreshed.path("slug").asText());
        assertEquals("After", refreshed.path("manifest").path("name").asText());

        host.serve("{\"name\":\"\"}");
        JsonNode invalid = expect(400, call("POST", API + "/apps/" + id + "/refresh", loginAs("reviewer"), null));
        assertEquals("invalid_manifest", invalid.path("error").asText());
        assertEquals("After", expect(200, call("GET", API + "/apps/" + id, developer, null)).path("name").asText());
        expectError(404, "not_found", call("POST", API + "/apps/" + id + "/refresh", loginAs("stranger"), null));
    }

    @Test
    public void concurrentSubmissionsAndSlugChangesCannotShareASlug() throws Exception {
        String developer = loginAs("dev");
        List<ManifestHost> sameName = List.of(host("Twin"), host("Twin"), host("Twin"), host("Twin"));
        ExecutorService pool = Executors.newFixedThreadPool(sameName.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<JsonNode>> submissions = new ArrayList<>();
            for (ManifestHost host : sameName) {
                submissions.add(pool.submit(() -> {
                    start.await();
                    return submit(developer, host);
                }));
            }
            start.countDown();
            Set<String> slugs = new HashSet<>();
            List<Long> ids = new ArrayList<>();
            for (Future<JsonNode> submission : submissions) {
                JsonNode app = submission.get();
                slugs.add(app.path("slug").asText());
                ids.add(app.path("id").asLong());
            }
            assertEquals(Set.of("twin", "twin-2", "twin-3", "twin-4"), slugs);
            assertEquals(4, new HashSet<>(ids).size());

            // two apps asking for one free slug at once: exactly one gets it
            CountDownLatch race = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> renames = new ArrayList<>();
            for (long id : ids.subList(0, 2)) {
                renames.add(pool.submit((Callable<HttpResponse<String>>) () -> {
                    race.await();
                    return call("PATCH", API + "/apps/" + id, developer, "{\"slug\":\"the-one\"}");
                }));
            }
            race.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<HttpResponse<String>> rename : renames) {
                HttpResponse<String> response = rename.get();
                statuses.add(response.statusCode());
                if (response.statusCode() == 409) {
                    assertEquals("slug_taken", json(response).path("error").asText());
                }
            }
            statuses.sort(null);
            assertEquals(List.of(200, 409), statuses);
            expect(200, call("GET", API + "/apps/the-one", developer, null));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void catalogPagesYieldEveryPublicMatchOnce() throws Exception {
        String developer = loginAs("dev");
        List<Long> published = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            published.add(publish(developer, host("Pager " + i)).path("id").asLong());
        }
        submit(developer, host("Pager hidden")); // incomplete: never listed
        List<Long> followed = new ArrayList<>();
        String next = API + "/apps?q=pager&limit=3";
        int pages = 0;
        while (next != null) {
            JsonNode page = expect(200, call("GET", next, null, null));
            assertEquals(7, page.path("meta").path("total_count").asInt());
            followed.addAll(ids(page));
            next = page.path("meta").path("next").isNull() ? null : page.path("meta").path("next").asText();
            pages++;
        }
        assertEquals(3, pages);
        List<Long> newestFirst = new ArrayList<>(published);
        java.util.Collections.reverse(newestFirst);
        assertEquals(newestFirst, followed);
        JsonNode byName = expect(200, call("GET", API + "/apps?q=pager&sort=name&limit=100", null, null));
        assertEquals(published, ids(byName));
        expectError(400, "bad_query", call("GET", API + "/apps?sort=price", null, null));
        expectError(400, "bad_query", call("GET", API + "/apps?limit=-1", null, null));
    }

    @Test
    public void premiumAppsNeedAPurchaseAndOnlyPublicAppsInstall() throws Exception {
        String developer = loginAs("dev");
        JsonNode app = submit(developer, host("Paid"));
        long id = app.path("id").asLong();
        expectError(400, "bad_price_tier", call("PATCH", API + "/apps/" + id, developer,
                "{\"premium_type\":\"premium\",\"price_tier\":99}"));
        JsonNode premium = expect(200, call("PATCH", API + "/apps/" + id, developer,
                "{\"premium_type\":\"premium\",\"categories\":[\"games\"]}"));
        assertTrue(premium.path("price").isNull());
        expectError(400, "incomplete_metadata", call("POST", API + "/apps/" + id + "/submit", developer, null));
        JsonNode priced = expect(200, call("PATCH", API + "/apps/" + id, developer, "{\"price_tier\":2}"));
        assertEquals("1.99", priced.path("price").path("amount").asText());
        assertEquals("USD", priced.path("price").path("currency").asText());
        expect(200, call("POST", API + "/apps/" + id + "/submit", developer, null));

        String user = loginAs("buyer");
        expectError(403, "app_not_public", call("POST", API + "/installs", developer, "{\"app\":" + id + "}"));
        expectError(404, "not_found", call("POST", API + "/installs", user, "{\"app\":" + id + "}"));
        expect(200, call("POST", API + "/apps/" + id + "/review", loginAs("reviewer"), "{\"action\":\"approve\"}"));
        expectError(402, "payment_required", call("POST", API + "/installs", user, "{\"app\":" + id + "}"));
        expectError(400, "bad_request", call("POST", API + "/installs", user, "{}"));
        expectError(404, "not_found", call("POST", API + "/installs", user, "{\"app\":999999}"));
    }

    @Test
    public void tokensAreTheMarketplacesOwn() {
        expectError(401, "unauthorized", call("GET", API + "/account/settings/mine", null, null));
        expectError(401, "unauthorized", call("GET", API + "/account/settings/mine", "forged.token.value", null));
        String[] device = device("someone");
        HttpResponse<String> appSyncToken = send(HttpRequest.newBuilder(uri(API + "/account/settings/mine"))
                .header("Authorization", device[1]).GET().build());
        expectError(401, "unauthorized", appSyncToken);
        String appSyncBearer = device[1].substring(device[1].indexOf(' ') + 1);
        expectError(401, "unauthorized", call("GET", API + "/account/settings/mine", appSyncBearer, null));
        expectError(401, "unauthorized", call("GET", API + "/account/settings/mine?token=" + loginAs("x"), null, null));

        JsonNode settings = expect(200, call("GET", API + "/account/settings/mine", loginAs("reviewer"), null));
        assertEquals(reviewer, settings.path("email").asText());
        assertTrue(settings.path("permissions").path("reviewer").asBoolean());
        assertTrue(settings.path("permissions").path("developer").asBoolean());

        HttpResponse<String> wrongAudience = post(API + "/account/login", "application/json",
                "{\"assertion\":\"" + idp.assertion(idp.email("a"), SYNC) + "\",\"audience\":\"" + SYNC + "\"}");
        expectError(401, "unauthorized", wrongAudience);
        expectError(400, "bad_request", post(API + "/account/login", "application/json", "{\"audience\":\"" + STORE + "\"}"));
        HttpResponse<String> form = post(API + "/account/login", "application/x-www-form-urlencoded", "assertion="
                + URLEncoder.encode(idp.assertion(idp.email("f"), STORE), StandardCharsets.UTF_8) + "&audience="
                + URLEncoder.encode(STORE, StandardCharsets.UTF_8) + "&type=browserid");
        JsonNode login = expect(201, form);
        assertEquals(idp.email("f"), login.path("email").asText());
        assertTrue(login.path("expires").asLong() > System.currentTimeMillis());
        expectError(401, "unauthorized", post(API + "/account/login", "application/json",
                "{\"assertion\":\"" + idp.assertion(idp.email("a"), STORE) + "\",\"audience\":\"" + STORE
                        + "\",\"type\":\"nosuchprovider\"}"));
    }

    @Test
    public void invalidAndHostileManifestsAreReportedAndNothingIsStored() throws Exception {
        String developer = loginAs("dev");
        ManifestHost host = host("Hostile");
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        host.serve("{\"name\":\"\",\"launch_path\":\"x\",\"installs_allowed_from\":[\"https://elsewhere.example\"]}");
        JsonNode invalid = expect(400, call("POST", API + "/apps", developer, "{\"manifest\":\"" + host.manifestUrl() + "\"}"));
        assertEquals("invalid_manifest", invalid.path("error").asText());
        Set<String> codes = new HashSet<>();
        invalid.path("validation").path("messages").forEach(m -> codes.add(m.path("code").asText()));
        assertTrue(codes.toString(), codes.containsAll(Set.of("NAME_INVALID", "LAUNCH_PATH_INVALID", "STORE_NOT_ALLOWED")));
        assertFalse(invalid.path("validation").path("valid").asBoolean());

        expected.put("not json", "MANIFEST_PARSE");
        expected.put("[" .repeat(10_000), "MANIFEST_PARSE");
        expected.put("{\"name\":\"" + "x".repeat(200_000) + "\"}", "NAME_INVALID");
        for (Map.Entry<String, String> hostile : expected.entrySet()) {
            host.serve(hostile.getKey());
            assertEquals(hostile.getValue(), firstError(developer, host));
        }
        host.serve(200, "application/json", new byte[] {'{', '"', 'n', '"', ':', '"', (byte) 0xff, '"', '}'});
        assertEquals("MANIFEST_PARSE", firstError(developer, host));
        host.serve(200, "text/html", ManifestHost.manifest("Hostile", STORE).getBytes(StandardCharsets.UTF_8));
        assertEquals("FETCH_CONTENT_TYPE", firstError(developer, host));
        host.serve(404, "application/json", new byte[0]);
        assertEquals("FETCH_HTTP_STATUS", firstError(developer, host));
        host.serve(200, "application/json", new byte[600_000]);
        assertEquals("FETCH_TOO_LARGE", firstError(developer, host));
        host.endless();
        assertEquals("FETCH_TOO_LARGE", firstError(developer, host));
        reconfigure("org.openwebapps.marketplace.fetch", Map.of("timeout.ms", 500));
        host.hang();
        assertEquals("FETCH_TIMEOUT", firstError(developer, host));
        reconfigure("org.openwebapps.marketplace.fetch", Map.of());

        for (String url : List.of("ftp://x.example/m", "/relative", "https://u:p@x.example/m",
                "https://x.example/" + "a".repeat(2100))) {
            JsonNode report = expect(200, call("POST", API + "/apps/validate", developer, "{\"manifest\":\"" + url + "\"}"));
            assertEquals(url, "FETCH_BAD_URL", report.path("messages").get(0).path("code").asText());
        }
        JsonNode https = expect(200, call("POST", API + "/apps/validate", developer,
                "{\"manifest\":\"http://app.invalid/manifest.webapp\"}"));
        assertEquals("FETCH_SCHEME", https.path("messages").get(0).path("code").asText());

        expectError(400, "bad_request", call("POST", API + "/apps", developer, "{\"manifest\":"));
        expectError(400, "bad_request", call("POST", API + "/apps", developer, "[]"));
        expectError(400, "bad_request", call("POST", API + "/apps", developer, "{\"manifest\":5}"));
        expectError(400, "bad_request", call("POST", API + "/apps", developer, "{}"));
        expectError(400, "bad_request", call("PATCH", API + "/apps/1", developer, "{\"slug\":"));
        HttpResponse<String> huge = call("POST", API + "/apps", developer, "{\"manifest\":\"" + "a".repeat(100_000) + "\"}");
        expectError(413, "payload_too_large", huge);
        HttpResponse<String> overRuntime = call("POST", API + "/apps", developer, "{\"manifest\":\"" + "a".repeat(5_000_000) + "\"}");
        assertEquals(413, overRuntime.statusCode());
        assertEquals("application/json", overRuntime.headers().firstValue("Content-Type").orElse("").replaceAll(";.*", ""));

        assertEquals("nothing was stored", List.of(), ids(expect(200, call("GET", API + "/apps/mine", developer, null))));
    }

    private String firstError(String developer, ManifestHost host) {
        JsonNode invalid = expect(400, call("POST", API + "/apps", developer, "{\"manifest\":\"" + host.manifestUrl() + "\"}"));
        assertEquals("invalid_manifest", invalid.path("error").asText());
        return invalid.path("validation").path("messages").get(0).path("code").asText();
    }

    @Test
    public void installsWaitForAppSyncAndArriveInOrder() throws Exception {
        String developer = loginAs("dev");
        ManifestHost first = host("Offline One");
        ManifestHost second = host("Offline Two");
        long one = publish(developer, first).path("id").asLong();
        long two = publish(developer, second).path("id").asLong();
        String user = loginAs("traveller");
        String[] device = device("traveller");

        Bundle appSync = bundle("org.openwebapps.appsync");
        appSync.stop();
        // the REST runtime's previous generation answers until the next is built: wait for it
        awaitStatus("POST", "/verify", 404);
        try {
            assertEquals("pending", expect(201, call("POST", API + "/installs", user, "{\"app\":" + one + "}"))
                    .path("sync").asText());
            assertEquals("pending", expect(201, call("POST", API + "/installs", user, "{\"app\":" + two + "}"))
                    .path("sync").asText());
            assertEquals(204, call("DELETE", API + "/installs/" + one, user, null).statusCode());
            assertEquals(List.of(two), ids(expect(200, call("GET", API + "/account/installed/mine", user, null))));
        } finally {
            appSync.start();
        }
        await("AppSync serving again", () -> send(HttpRequest.newBuilder(URI.create(device[0] + "?since=0"))
                .header("Authorization", device[1]).GET().build()).statusCode(), status -> status == 200);
        String[] again = device("traveller");
        // written oldest first: the first app's install, the second's, then the first's uninstall
        // (in another order the first app would stay installed and this wait would fail)
        JsonNode synced = await("the waiting installs written in order", () -> sync(again, "0"),
                s -> appIn(s, second.origin()) != null && appIn(s, first.origin()) != null
                        && appIn(s, first.origin()).path("deleted").asBoolean());
        assertFalse(appIn(synced, second.origin()).path("deleted").asBoolean());
        assertEquals(device[0], again[0]);
    }

    /**
     * The production layout: HBase primary, MariaDB mirror. The whole flow, then HBase uninstalled
     * while users install: every install answers, and every one is still there (catalog, profile,
     * AppSync) once HBase is back and caught up.
     */
    @Test
    @RequiresServers({"HBASE_ZK_QUORUM", "HBASE_ZK_PORT", "MYSQL_URL"})
    public void theStoreOnHBaseMirroredToMysqlKeepsServingWhileHBaseGoes() throws Exception {
        String adminToken = useHBaseMirroredToMysql();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            String developer = loginAs("hbase-dev");
            ManifestHost host = host("Mirrored Game");
            long id = publish(developer, host).path("id").asLong();
            assertEquals(List.of(id), ids(expect(200, call("GET", API + "/apps?q=mirrored", null, null))));

            int users = 24;
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                tokens.add(loginAs("hbase-user-" + i));
            }
            CountDownLatch someInstalled = new CountDownLatch(users / 3);
            List<Future<HttpResponse<String>>> installs = new ArrayList<>();
            for (String token : tokens) {
                installs.add(pool.submit(() -> {
                    HttpResponse<String> response = call("POST", API + "/installs", token, "{\"app\":" + id + "}");
                    someInstalled.countDown();
                    return response;
                }));
            }
            someInstalled.await();
            features.uninstallFeature("openwebapps-storage-hbase", NO_REFRESH);
            for (Future<HttpResponse<String>> install : installs) {
                HttpResponse<String> response = install.get();
                assertEquals(response.body(), 201, response.statusCode());
            }
            assertEquals(List.of(id), ids(expect(200, call("GET", API + "/apps?q=mirrored", null, null))));
            String late = loginAs("hbase-late"); // certainly after HBase went: served by the mirror
            assertEquals(201, call("POST", API + "/installs", late, "{\"app\":\"mirrored-game\"}").statusCode());

            features.installFeature("openwebapps-storage-hbase", NO_REFRESH);
            awaitReplayed(adminToken);
            tokens.add(late);
            for (int i = 0; i < tokens.size(); i++) {
                assertEquals("install " + i + " kept", List.of(id),
                        ids(expect(200, call("GET", API + "/account/installed/mine", tokens.get(i), null))));
            }
            for (int i = 0; i < users; i += 5) {
                assertTrue("user " + i + "'s devices see the install",
                        appIn(sync(device("hbase-user-" + i), "0"), host.origin()) != null);
            }
            assertEquals(List.of(id), ids(expect(200, call("GET", API + "/apps?q=mirrored", null, null))));
        } finally {
            pool.shutdownNow();
            useEmbeddedStorage();
        }
    }
}
