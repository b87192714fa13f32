package org.openwebapps.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.karaf.features.FeaturesService;
import org.junit.After;
import org.junit.Before;
import org.openwebapps.browserid.Algorithm;
import org.openwebapps.itests.browserid.TestIdp;

/**
 * What the Marketplace's container tests share: a test IdP for real BrowserID sign-ins, the store
 * at {@value #STORE} with one reviewer, AppSync at {@value #SYNC}, manifest hosts on the loopback
 * (allow-listed), and the API's requests and expectations.
 */
public abstract class MarketplaceTestSupport extends ServerTestSupport {

    protected static final String STORE = "https://store.example";
    protected static final String SYNC = "https://myapps.example";
    protected static final String API = "/marketplace/api/v1";

    protected static final EnumSet<FeaturesService.Option> NO_REFRESH = EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles);

    @Inject
    protected FeaturesService features;

    protected TestIdp idp;
    protected final List<ManifestHost> hosts = new ArrayList<>();
    protected String reviewer;

    @Before
    public void setUpMarketplace() throws Exception {
        idp = TestIdp.start(Algorithm.RS256);
        allowLocalFetches();
        reviewer = idp.email("reviewer");
        reconfigure("org.openwebapps.appsync", Map.of("audiences", SYNC, "app.id", SYNC));
        reconfigure("org.openwebapps.marketplace", Map.of("site.url", STORE, "reviewers", reviewer,
                "outbox.retry.millis", 200));
        await("Marketplace serving", () -> login("probe"), token -> token != null);
    }

    @After
    public void tearDownMarketplace() {
        hosts.forEach(ManifestHost::close);
        idp.close();
    }

    // --- helpers ------------------------------------------------------------------------------------

    protected ManifestHost host(String name) throws Exception {
        ManifestHost host = new ManifestHost().serve(ManifestHost.manifest(name, STORE));
        hosts.add(host);
        return host;
    }

    /** @return a Marketplace token for {@code name}, or null when sign-in is refused */
    protected String login(String name) {
        String email = idp.email(name);
        HttpResponse<String> response = post(API + "/account/login", "application/json",
                "{\"assertion\":\"" + idp.assertion(email, STORE) + "\",\"audience\":\"" + STORE + "\"}");
        return response.statusCode() == 201 ? json(response).path("token").asText() : null;
    }

    protected String loginAs(String name) {
        String token = login(name);
        assertTrue("sign-in of " + name, token != null);
        return token;
    }

    protected HttpResponse<String> call(String method, String path, String token, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    protected static JsonNode expect(int status, HttpResponse<String> response) {
        assertEquals(response.body(), status, response.statusCode());
        return json(response);
    }

    protected static void expectError(int status, String error, HttpResponse<String> response) {
        JsonNode body = expect(status, response);
        assertEquals(response.body(), error, body.path("error").asText());
        assertEquals(status, body.path("status").asInt());
        assertTrue(response.body(), body.path("message").isTextual());
    }

    protected JsonNode submit(String token, ManifestHost host) {
        return expect(201, call("POST", API + "/apps", token, "{\"manifest\":\"" + host.manifestUrl() + "\"}"));
    }

    /** Submits, categorises, sends to review and approves: a public app. */
    protected JsonNode publish(String developer, ManifestHost host) {
        JsonNode app = submit(developer, host);
        long id = app.path("id").asLong();
        expect(200, call("PATCH", API + "/apps/" + id, developer, "{\"categories\":[\"games\"]}"));
        expect(200, call("POST", API + "/apps/" + id + "/submit", developer, null));
        return expect(200, call("POST", API + "/apps/" + id + "/review", loginAs("reviewer"),
                "{\"action\":\"approve\",\"comment\":\"fine\"}"));
    }

    /** An AppSync device of the user {@code name}: collection URL and Authorization header. */
    protected String[] device(String name) {
        String email = idp.email(name);
        HttpResponse<String> response = post("/verify", "application/x-www-form-urlencoded",
                "assertion=" + URLEncoder.encode(idp.assertion(email, SYNC), StandardCharsets.UTF_8) + "&audience="
                        + URLEncoder.encode(SYNC, StandardCharsets.UTF_8));
        JsonNode body = expect(200, response);
        return new String[] {body.path("collection_url").asText(), body.path("http_authorization").asText()};
    }

    protected JsonNode sync(String[] device, String since) {
        return expect(200, send(HttpRequest.newBuilder(URI.create(device[0] + "?since=" + since))
                .timeout(Duration.ofSeconds(10)).header("Authorization", device[1]).GET().build()));
    }

    protected static JsonNode appIn(JsonNode sync, String origin) {
        for (JsonNode application : sync.path("applications")) {
            if (application.path("origin").asText().equals(origin)) {
                return application;
            }
        }
        return null;
    }

    protected List<Long> ids(JsonNode page) {
        List<Long> ids = new ArrayList<>();
        page.path("objects").forEach(app -> ids.add(app.has("app") && app.path("app").isObject()
                ? app.path("app").path("id").asLong() : app.path("id").asLong()));
        return ids;
    }

    // --- HBase primary, MySQL mirror -------------------------------------------------------------------

    /** Installs HBase and MySQL, HBase primary and MySQL its mirror; @return the storage admin token */
    protected String useHBaseMirroredToMysql() throws Exception {
        configureHBase();
        configureMysql();
        features.installFeature("openwebapps-storage-hbase", NO_REFRESH);
        features.installFeature("openwebapps-storage-mysql", NO_REFRESH);
        String adminToken = UUID.randomUUID().toString();
        reconfigure("org.openwebapps.storage.router", Map.of("primary", "hbase", "mirror", "mysql",
                "probe.interval.ms", 200, ".admin.token", adminToken));
        awaitStatus("GET", "/__heartbeat__", 200);
        return adminToken;
    }

    /** Waits until the router's journal has been replayed into a backend that came back. */
    protected void awaitReplayed(String adminToken) {
        await("HBase caught up", () -> send(HttpRequest.newBuilder(uri("/admin/storage/replay"))
                .header("Authorization", "Bearer " + adminToken).POST(HttpRequest.BodyPublishers.noBody()).build()),
                r -> r.statusCode() == 200 && RouterStatus.caughtUp(json(r), 2));
    }

    /** Back to the embedded backend alone. */
    protected void useEmbeddedStorage() throws Exception {
        reconfigure("org.openwebapps.storage.router", Map.of("primary", "embedded"));
        for (String backend : List.of("openwebapps-storage-hbase", "openwebapps-storage-mysql")) {
            if (features.isInstalled(features.getFeature(backend))) {
                features.uninstallFeature(backend, NO_REFRESH);
            }
        }
    }
}
