package org.openwebapps.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.openwebapps.health.HealthCheck;
import org.openwebapps.health.HealthResult;
import org.openwebapps.metrics.Counter;
import org.openwebapps.metrics.Meters;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

import com.fasterxml.jackson.databind.JsonNode;

/** The distribution boots on Felix with Jetty 12, every bundle starts, the service endpoints answer. */
@RunWith(ServerExam.class)
@ExamReactorStrategy(PerClass.class)
public class ServerBootIT extends ServerTestSupport {

    @Test
    public void runsOnFelixWithJetty12AndNoPaxWeb() {
        assertEquals("org.apache.felix.framework", bundleContext.getBundle(0).getSymbolicName());
        Bundle jetty = bundle("org.apache.felix.http.jetty12");
        assertNotNull("Felix HTTP Jetty 12 is installed", jetty);
        assertEquals(Bundle.ACTIVE, jetty.getState());
        for (Bundle bundle : bundleContext.getBundles()) {
            assertFalse("pax-web must not be installed: " + bundle.getSymbolicName(),
                    bundle.getSymbolicName().startsWith("org.ops4j.pax.web"));
        }
    }

    @Test
    public void everyBundleIsActive() {
        List<String> inactive = new ArrayList<>();
        for (Bundle bundle : bundleContext.getBundles()) {
            boolean fragment = bundle.getHeaders().get("Fragment-Host") != null;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (bundle.getState() != expected) {
                inactive.add(bundle.getSymbolicName() + ":" + bundle.getVersion() + " state " + bundle.getState());
            }
        }
        assertEquals("bundles not active", List.of(), inactive);
        for (String ours : List.of("org.openwebapps.health", "org.openwebapps.rest", "org.openwebapps.http.rest")) {
            assertNotNull(ours + " is installed", bundle(ours));
        }
    }

    @Test
    public void lbHeartbeatAnswersJson() {
        HttpResponse<String> response = get("/__lbheartbeat__");
        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("ok", json(response).path("status").asText());
    }

    @Test
    public void versionNamesTheBuild() {
        HttpResponse<String> response = get("/__version__");
        assertEquals(200, response.statusCode());
        JsonNode version = json(response);
        assertEquals("openwebapps-server", version.path("name").asText());
        assertEquals(bundle("org.openwebapps.http.rest").getHeaders().get("Server-Version"),
                version.path("version").asText());
        assertTrue("commit is reported: " + version, version.path("commit").asText().length() >= 7);
    }

    @Test
    public void heartbeatReportsEveryRegisteredHealthCheck() {
        HttpResponse<String> healthy = get("/__heartbeat__");
        assertEquals(200, healthy.statusCode());
        assertEquals("ok", json(healthy).path("status").asText());

        ServiceRegistration<HealthCheck> passing = register("itest.passing", HealthResult.ok());
        ServiceRegistration<HealthCheck> failing = register("itest.failing", HealthResult.failed("disk on fire"));
        try {
            HttpResponse<String> unhealthy = get("/__heartbeat__");
            assertEquals(503, unhealthy.statusCode());
            JsonNode body = json(unhealthy);
            assertEquals("error", body.path("status").asText());
            assertEquals("ok", body.path("checks").path("itest.passing").path("status").asText());
            assertEquals("error", body.path("checks").path("itest.failing").path("status").asText());
            assertEquals("disk on fire", body.path("checks").path("itest.failing").path("message").asText());
        } finally {
            failing.unregister();
        }
        try {
            HttpResponse<String> recovered = get("/__heartbeat__");
            assertEquals(200, recovered.statusCode());
            assertEquals("ok", json(recovered).path("checks").path("itest.passing").path("status").asText());
        } finally {
            passing.unregister();
        }
    }

    @Test
    public void fortyConcurrentHeartbeatsShareOneRunAndAllPass() throws Exception {
        // a check that holds its run until the 40 calls are all sent, so they overlap, and counts its runs
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch allSent = new CountDownLatch(1);
        ServiceRegistration<HealthCheck> slow = bundleContext.registerService(HealthCheck.class, new HealthCheck() {
            @Override
            public String name() {
                return "itest.slow";
            }

            @Override
            public HealthResult check() {
                runs.incrementAndGet();
                try {
                    allSent.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return HealthResult.ok();
            }
        }, null);
        ExecutorService callers = Executors.newFixedThreadPool(40);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                answers.add(callers.submit(() -> get("/__heartbeat__")));
            }
            await("a run holding the callers", runs::get, count -> count > 0);
            allSent.countDown();
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                assertEquals(response.body(), 200, response.statusCode());
            }
            assertTrue("40 calls shared runs: " + runs.get(), runs.get() < 40);
        } finally {
            callers.shutdownNow();
            slow.unregister();
        }
    }

    @Test
    public void aThrowingHealthCheckFailsWithoutLeakingItsMessage() {
        ServiceRegistration<HealthCheck> throwing = bundleContext.registerService(HealthCheck.class, new HealthCheck() {
            @Override
            public String name() {
                return "itest.throwing";
            }

            @Override
            public HealthResult check() {
                throw new IllegalStateException("secret connection string");
            }
        }, null);
        try {
            HttpResponse<String> response = get("/__heartbeat__");
            assertEquals(503, response.statusCode());
            JsonNode check = json(response).path("checks").path("itest.throwing");
            assertEquals("error", check.path("status").asText());
            assertFalse("exception messages stay in the server: " + check,
                    check.toString().contains("secret connection string"));
        } finally {
            throwing.unregister();
        }
        assertEquals(200, get("/__heartbeat__").statusCode());
    }

    private ServiceRegistration<HealthCheck> register(String name, HealthResult result) {
        return bundleContext.registerService(HealthCheck.class, new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public HealthResult check() {
                return result;
            }
        }, null);
    }

    // --- metrics -----------------------------------------------------------------------------------

    @Test
    public void metricsCountRequestsByRouteTemplateAndStatus() {
        assertEquals(200, get("/__lbheartbeat__").statusCode());
        assertEquals(404, get("/no-such-" + System.nanoTime()).statusCode());
        HttpResponse<String> metrics = get("/__metrics__");
        assertEquals(metrics.body(), 200, metrics.statusCode());
        assertTrue(metrics.headers().map().toString(),
                metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertTrue(metrics.body(), sample(metrics.body(), "owa_http_request_seconds_count{method=\"GET\",route=\"/__lbheartbeat__\",status=\"200\"}") >= 1);
        assertTrue(metrics.body(), sample(metrics.body(), "owa_http_request_seconds_count{method=\"GET\",route=\"unmatched\",status=\"404\"}") >= 1);
        assertFalse("no URL becomes a label", metrics.body().contains("no-such-"));
        assertTrue("the JVM's figures", metrics.body().contains("jvm_memory_used_bytes"));
        assertEquals(metrics.body(), 1.0, sample(metrics.body(), "owa_storage_backend_up{backend=\"embedded\"}"), 0.0);
        assertEquals(metrics.body(), 0.0, sample(metrics.body(), "owa_storage_pending_owners{backend=\"embedded\"}"), 0.0);
        // the Marketplace's catalog index reads storage every 500 ms, through the router
        await("timed calls to the embedded backend", () -> metric("owa_storage_call_seconds_count{backend=\"embedded\",outcome=\"ok\"}"),
                calls -> calls >= 1);
    }

    @Test
    public void metricsCountSignInsByTypeAndOutcome() throws Exception {
        reconfigure("org.openwebapps.appsync", Map.of("audiences", "https://myapps.example"));
        String rejected = "owa_auth_sign_ins_total{outcome=\"rejected\",type=\"browserid\"}"; // labels come sorted
        double before = metric(rejected);
        HttpResponse<String> signIn = post("/verify", "application/x-www-form-urlencoded",
                "assertion=not.an.assertion&audience=https://myapps.example");
        assertEquals(signIn.body(), 401, signIn.statusCode());
        assertEquals(before + 1, metric(rejected), 0.0);
    }

    @Test
    public void metricsAreForDirectLoopbackClientsOrTheConfiguredToken() throws Exception {
        HttpResponse<String> proxied = send(HttpRequest.newBuilder(uri("/__metrics__")).header("X-Forwarded-For", "203.0.113.9").GET().build());
        assertEquals(403, proxied.statusCode());
        assertEquals("forbidden", json(proxied).path("error").asText());
        reconfigure("org.openwebapps.metrics", Map.of(".token", "scrape-secret"));
        try {
            HttpResponse<String> none = get("/__metrics__");
            assertEquals(401, none.statusCode());
            assertEquals("unauthorized", json(none).path("error").asText());
            assertEquals(401, send(HttpRequest.newBuilder(uri("/__metrics__")).header("Authorization", "Bearer wrong").GET().build()).statusCode());
            HttpResponse<String> scraper = send(HttpRequest.newBuilder(uri("/__metrics__"))
                    .header("Authorization", "Bearer scrape-secret").header("X-Forwarded-For", "203.0.113.9").GET().build());
            assertEquals(200, scraper.statusCode());
        } finally {
            reconfigure("org.openwebapps.metrics", Map.of(".token", ""));
        }
    }

    /** Meters live as long as the bundle that made them: here the test's own bundle lets go of its Meters. */
    @Test
    public void aBundlesMetersAreExportedWhileItHoldsThem() {
        ServiceReference<Meters> reference = bundleContext.getServiceReference(Meters.class);
        assertNotNull("the Meters service", reference);
        Meters meters = bundleContext.getService(reference);
        try {
            Counter counter = meters.counter("owa_itest_probe_events", "Events counted by the test", "kind");
            counter.increment("ping");
            counter.increment("ping");
            assertEquals("asking again gives the same counter", counter,
                    meters.counter("owa_itest_probe_events", "Events counted by the test", "kind"));
            AtomicInteger level = new AtomicInteger(7);
            meters.gauge("owa_itest_probe_level", "A level the test sets", level::get);
            String body = get("/__metrics__").body();
            assertEquals(body, 2.0, sample(body, "owa_itest_probe_events_total{kind=\"ping\"}"), 0.0);
            assertEquals(body, 7.0, sample(body, "owa_itest_probe_level"), 0.0);
        } finally {
            bundleContext.ungetService(reference);
        }
        String after = get("/__metrics__").body();
        assertFalse(after, after.contains("owa_itest_probe"));
    }

}
