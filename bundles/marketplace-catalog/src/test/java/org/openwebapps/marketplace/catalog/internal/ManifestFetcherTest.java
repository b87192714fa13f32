package org.openwebapps.marketplace.catalog.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openwebapps.fetch.OutboundFetcher;
import org.openwebapps.fetch.http.internal.TestFetchers;

/**
 * The Marketplace's fetch rules on top of the real outbound fetcher (whose address rules have
 * their own tests in fetch-http), against a real HTTP server on the loopback.
 */
class ManifestFetcherTest {

    private static final byte[] MANIFEST = "{\"name\":\"Game\"}".getBytes(UTF_8);
    private static final ManifestFetcher.Limits LIMITS = new ManifestFetcher.Limits(Duration.ofSeconds(5), 1024, 2);

    private HttpServer server;
    private String origin;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        origin = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/manifest.webapp", exchange -> answer(exchange, 200,
                "application/x-web-app-manifest+json; charset=utf-8", MANIFEST));
        server.createContext("/plain.json", exchange -> answer(exchange, 200, "application/json", MANIFEST));
        server.createContext("/text", exchange -> answer(exchange, 200, "text/html", MANIFEST));
        server.createContext("/missing", exchange -> answer(exchange, 404, "application/json", MANIFEST));
        server.createContext("/big", exchange -> answer(exchange, 200, "application/json", new byte[4096]));
        server.createContext("/hop1", exchange -> redirect(exchange, "/hop2"));
        server.createContext("/hop2", exchange -> redirect(exchange, origin + "/manifest.webapp"));
        server.createContext("/loop", exchange -> redirect(exchange, "/loop"));
        server.createContext("/away", exchange -> redirect(exchange, "http://localhost:" + server.getAddress().getPort()
                + "/manifest.webapp"));
        server.createContext("/nowhere", exchange -> {
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/slow", exchange -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 200, "application/json", MANIFEST);
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private static void answer(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private byte[] fetch(OutboundFetcher fetcher, ManifestFetcher.Limits limits, String path) throws Exception {
        return new ManifestFetcher(fetcher, limits, System::nanoTime).fetch(origin + path, origin);
    }

    private byte[] fetch(String path) throws Exception {
        return fetch(TestFetchers.allowingLocal("127.0.0.1"), LIMITS, path);
    }

    private String failure(OutboundFetcher fetcher, ManifestFetcher.Limits limits, String path) {
        return assertThrows(ManifestFetcher.Failure.class, () -> fetch(fetcher, limits, path)).message().code();
    }

    private String failure(String path) {
        return failure(TestFetchers.allowingLocal("127.0.0.1"), LIMITS, path);
    }

    @Test
    void bothManifestMediaTypesAreAcceptedWithParameters() throws Exception {
        assertArrayEquals(MANIFEST, fetch("/manifest.webapp"));
        assertArrayEquals(MANIFEST, fetch("/plain.json"));
        assertArrayEquals(MANIFEST, fetch("/manifest.webapp#fragment"));
    }

    @Test
    void otherMediaTypesAndStatusesFail() {
        assertEquals("FETCH_CONTENT_TYPE", failure("/text"));
        assertEquals("FETCH_HTTP_STATUS", failure("/missing"));
    }

    @Test
    void redirectsWithinTheOriginAreFollowedUpToTheLimit() throws Exception {
        assertArrayEquals(MANIFEST, fetch("/hop1"));
        assertEquals("FETCH_REDIRECT", failure(TestFetchers.allowingLocal("127.0.0.1"),
                new ManifestFetcher.Limits(Duration.ofSeconds(5), 1024, 1), "/hop1"));
        assertEquals("FETCH_REDIRECT", failure("/loop"));
    }

    @Test
    void redirectsOffTheOriginOrWithoutLocationFail() {
        assertEquals("FETCH_REDIRECT", failure(TestFetchers.allowingLocal("127.0.0.1", "localhost"), LIMITS, "/away"));
        assertEquals("FETCH_REDIRECT", failure("/nowhere"));
    }

    @Test
    void theSizeCapIsTheMarketplaces() {
        assertEquals("FETCH_TOO_LARGE", failure("/big"));
    }

    @Test
    void oneDeadlineCoversTheWholeFetch() {
        assertEquals("FETCH_TIMEOUT", failure(TestFetchers.allowingLocal("127.0.0.1"),
                new ManifestFetcher.Limits(Duration.ofMillis(300), 1024, 2), "/slow"));
    }

    @Test
    void plainHttpNeedsAnAllowListedHost() {
        assertEquals("FETCH_SCHEME", failure(TestFetchers.of(TestFetchers.Config.defaults()), LIMITS, "/manifest.webapp"));
    }

    @Test
    void loopbackAddressesAreForbiddenUnlessAllowListed() {
        TestFetchers.Config httpOnly = new TestFetchers.Config(new String[] {"127.0.0.1"}, new String[0], 32, 64, 8,
                10000, 1048576);
        assertEquals("FETCH_FORBIDDEN_ADDRESS", failure(TestFetchers.of(httpOnly), LIMITS, "/manifest.webapp"));
    }

    @Test
    void aClosedPortIsAFailedFetch() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closed + "/manifest.webapp";
        ManifestFetcher fetcher = new ManifestFetcher(TestFetchers.allowingLocal("127.0.0.1"), LIMITS, System::nanoTime);
        assertEquals("FETCH_FAILED", assertThrows(ManifestFetcher.Failure.class,
                () -> fetcher.fetch(url, "http://127.0.0.1:" + closed)).message().code());
    }
}
