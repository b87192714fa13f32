package org.openwebapps.fetch.http.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openwebapps.fetch.FetchException;
import org.openwebapps.fetch.FetchException.Kind;
import org.openwebapps.fetch.FetchRequest;
import org.openwebapps.fetch.FetchResponse;

/**
 * The fetcher against real sockets on the loopback: servers that trickle, never end, lie about
 * lengths or hang, and names that lead to addresses the rules refuse.
 */
class HttpFetcherTest {

    /** Guards against a hang; far above every deadline used here, so it measures nothing. */
    private static final Duration HANG = Duration.ofSeconds(30);
    private static final Duration SHORT = Duration.ofMillis(800);

    private final List<ScriptedServer> servers = new ArrayList<>();
    private final ExecutorService clients = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws Exception {
        stopped.countDown();
        clients.shutdownNow();
        for (ScriptedServer server : servers) {
            server.close();
        }
    }

    /** Paces trickling scripts (they are written before their server exists). */
    private final CountDownLatch stopped = new CountDownLatch(1);

    private void pace(long millis) throws InterruptedException {
        stopped.await(millis, TimeUnit.MILLISECONDS); // the trickle's pace, cut short when the test ends
    }

    private ScriptedServer server(ScriptedServer.Script script) throws Exception {
        ScriptedServer server = new ScriptedServer(script);
        servers.add(server);
        return server;
    }

    private static ScriptedServer.Script answering(String body) {
        return (head, out) -> ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body);
    }

    private static HttpFetcher localFetcher() {
        return TestFetchers.create(TestFetchers.Config.defaults().allowingLocal("127.0.0.1", "idp.test"), resolverOf("127.0.0.1"));
    }

    /** Every name resolves to these addresses. */
    private static HttpFetcher.Resolver resolverOf(String... literals) {
        return host -> {
            InetAddress[] addresses = new InetAddress[literals.length];
            for (int i = 0; i < literals.length; i++) {
                addresses[i] = InetAddress.getByName(literals[i]);
            }
            return addresses;
        };
    }

    private static FetchException failure(HttpFetcher fetcher, FetchRequest request) {
        return assertTimeoutPreemptively(HANG, () -> assertThrows(FetchException.class, () -> fetcher.fetch(request)));
    }

    @Test
    void aPlainAnswerIsReadWholeAndTheHostHeaderNamesTheUrlsHost() throws Exception {
        ScriptedServer server = server(answering("{\"ok\":true}"));
        FetchResponse response = localFetcher().fetch(FetchRequest.get(URI.create("http://idp.test:" + server.port() + "/doc?x=1")));
        assertEquals(200, response.status());
        assertEquals("application/json", response.mediaType());
        assertArrayEquals("{\"ok\":true}".getBytes(UTF_8), response.body());
        assertTrue(server.heads.get(0).startsWith("GET /doc?x=1 HTTP/1.1\r\n"), server.heads.get(0));
        assertTrue(server.heads.get(0).contains("\r\nHost: idp.test:" + server.port() + "\r\n"),
                "connected to the address checked, named as the URL names it: " + server.heads.get(0));
    }

    @Test
    void aChunkedAnswerIsDecoded() throws Exception {
        ScriptedServer server = server((head, out) -> ScriptedServer.write(out,
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n"));
        FetchResponse response = localFetcher().fetch(FetchRequest.get(URI.create("http://127.0.0.1:" + server.port() + "/")));
        assertEquals("hello world", new String(response.body(), UTF_8));
    }

    @Test
    void aBodyTricklingOneBytePerIntervalEndsAtTheDeadlineAndTheConnectionIsClosed() throws Exception {
        ScriptedServer server = server((head, out) -> {
            ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
            while (true) {
                ScriptedServer.write(out, "x");
                pace(50); // the misbehaviour under test: every read succeeds, the body never ends
            }
        });
        FetchException e = failure(localFetcher(), FetchRequest.get(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .withDeadline(SHORT).withMaxBytes(200000));
        assertEquals(Kind.FAILED, e.kind());
        assertEquals("could not fetch the URL", e.getMessage());
        assertTrue(server.clientClosed.await(HANG.toSeconds(), TimeUnit.SECONDS), "the fetcher hung up on the trickler");
    }

    @Test
    void headersThatNeverEndFailAtTheDeadline() throws Exception {
        ScriptedServer server = server((head, out) -> {
            ScriptedServer.write(out, "HTTP/1.1 200 OK\r\n");
            while (true) {
                ScriptedServer.write(out, "X: y\r\n");
                pace(20);
            }
        });
        FetchException e = failure(localFetcher(), FetchRequest.get(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .withDeadline(Duration.ofSeconds(2)));
        assertEquals(Kind.FAILED, e.kind(), e.detail());
    }

    @Test
    void aServerThatNeverAnswersFailsAtTheDeadline() throws Exception {
        ScriptedServer server = server((head, out) -> new CountDownLatch(1).await());
        FetchException e = failure(localFetcher(), FetchRequest.get(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .withDeadline(SHORT));
        assertEquals(Kind.FAILED, e.kind());
        assertTrue(e.detail().contains("deadline"), e.detail());
    }

    @Test
    void anEndlessBodyIsCutAtTheSizeCap() throws Exception {
        ScriptedServer server = server((head, out) -> {
            ScriptedServer.write(out, "HTTP/1.1 200 OK\r\n\r\n");
            byte[] block = new byte[8192];
            while (true) {
                out.write(block);
            }
        });
        FetchException e = failure(localFetcher(), FetchRequest.get(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .withMaxBytes(100_000));
        assertEquals(Kind.TOO_LARGE, e.kind(), e.detail());
    }

    @Test
    void anAnnouncedLengthOverTheCapIsRefusedBeforeReading() throws Exception {
        ScriptedServer server = server((head, out) -> ScriptedServer.write(out,
                "HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\n"));
        FetchException e = failure(localFetcher(), FetchRequest.get(URI.create("http://127.0.0.1:" + server.port() + "/")));
        assertEquals(Kind.TOO_LARGE, e.kind());
    }

    @Test
    void aChunkedBodyOverTheCapIsCut() throws Exception {
        ScriptedServer server = server((head, out) -> {
            ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            while (true) {
                ScriptedServer.write(out, "1000\r\n" + "y".repeat(4096) + "\r\n");
            }
        });
        FetchException e = failure(localFetcher(), FetchRequest.get(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .withMaxBytes(64 * 1024));
        assertEquals(Kind.TOO_LARGE, e.kind());
    }

    @Test
    void aBodyShorterThanItsLengthIsAFailure() throws Exception {
        ScriptedServer server = server((head, out) -> ScriptedServer.write(out,
                "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));
        assertEquals(Kind.FAILED, failure(localFetcher(), FetchRequest.get(URI.create("http://127.0.0.1:" + server.port() + "/"))).kind());
    }

    @Test
    void redirectsAreReturnedAsIsUnlessAskedAndEachTargetIsChecked() throws Exception {
        ScriptedServer target = server(answering("{}"));
        ScriptedServer toTarget = server((head, out) -> ScriptedServer.write(out, "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:"
                + target.port() + "/there\r\nContent-Length: 0\r\n\r\n"));
        ScriptedServer toMetadata = server((head, out) -> ScriptedServer.write(out,
                "HTTP/1.1 301 Moved\r\nLocation: http://169.254.169.254/latest/meta-data/\r\nContent-Length: 0\r\n\r\n"));
        HttpFetcher fetcher = localFetcher();
        FetchRequest first = FetchRequest.get(URI.create("http://127.0.0.1:" + toTarget.port() + "/"));
        assertEquals(302, fetcher.fetch(first).status());
        assertEquals(0, target.connections.get());
        FetchResponse followed = fetcher.fetch(first.withMaxRedirects(1));
        assertEquals(200, followed.status());
        assertEquals("/there", followed.uri().getPath());
        FetchException e = failure(fetcher, FetchRequest.get(URI.create("http://127.0.0.1:" + toMetadata.port() + "/")).withMaxRedirects(3));
        assertEquals(Kind.REFUSED, e.kind(), e.detail());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1", "2130706433", "0x7f000001", "0177.0.0.1", "[::1]", "[::ffff:127.0.0.1]",
            "[0:0:0:0:0:ffff:7f00:1]", "localhost", "10.0.0.1", "169.254.169.254", "[fe80::1]", "0.0.0.0", "[::]"})
    void everySpellingOfANonPublicAddressIsRefusedWithoutConnecting(String host) throws Exception {
        ScriptedServer server = server(answering("{}"));
        // the system's resolver, as in production: it turns each spelling into the address it means
        HttpFetcher fetcher = TestFetchers.create(TestFetchers.Config.defaults().allowingLocal(), InetAddress::getAllByName);
        FetchException e = failure(fetcher, FetchRequest.get(URI.create("https://" + host + ":" + server.port() + "/")));
        assertTrue(e.kind() == Kind.REFUSED || (e.kind() == Kind.FAILED && e.detail().startsWith("unknown host")),
                host + ": " + e.kind() + " " + e.detail());
        assertEquals(0, server.connections.get(), host);
        assertEquals(e.kind() == Kind.REFUSED ? "the URL is not allowed" : "could not fetch the URL", e.getMessage());
    }

    @Test
    void aNameWithAnyNonPublicAddressIsRefused() {
        HttpFetcher fetcher = TestFetchers.create(TestFetchers.Config.defaults(), resolverOf("93.184.216.34", "10.0.0.7"));
        FetchException e = failure(fetcher, FetchRequest.get(URI.create("https://rebinding.example/")));
        assertEquals(Kind.REFUSED, e.kind());
    }

    @Test
    void allowListEntriesWithoutAPortMatchEveryPortAndWithAPortOnlyThatOne() throws Exception {
        ScriptedServer server = server(answering("{}"));
        HttpFetcher any = TestFetchers.create(TestFetchers.Config.defaults().allowingLocal("idp.test"), resolverOf("127.0.0.1"));
        assertEquals(200, any.fetch(FetchRequest.get(URI.create("http://idp.test:" + server.port() + "/"))).status());
        HttpFetcher other = TestFetchers.create(TestFetchers.Config.defaults().allowingLocal("idp.test:1"), resolverOf("127.0.0.1"));
        assertEquals(Kind.REFUSED, failure(other, FetchRequest.get(URI.create("http://idp.test:" + server.port() + "/"))).kind());
        assertTrue(other.allowsPlainHttp("IDP.test", 1));
        assertTrue(!other.allowsPlainHttp("idp.test", 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com/", "ftp://example.com/", "file:///etc/passwd", "https://user:pw@example.com/",
            "https://example.com:0/", "https://example.com:99999/", "/relative", "HTTPS://example.com/"})
    void urlsOutsideTheRulesAreRefused(String url) {
        assertEquals(Kind.REFUSED, failure(localFetcher(), FetchRequest.get(URI.create(url))).kind(), url);
    }

    @Test
    void concurrentFetchesOfOneUrlShareOneRequest() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ScriptedServer server = server((head, out) -> {
            release.await();
            ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
        });
        HttpFetcher fetcher = TestFetchers.create(TestFetchers.Config.defaults().allowingLocal("127.0.0.1").withCaps(32, 64, 20),
                resolverOf("127.0.0.1"));
        FetchRequest request = FetchRequest.get(URI.create("http://127.0.0.1:" + server.port() + "/shared"));
        List<Future<FetchResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(clients.submit(() -> fetcher.fetch(request)));
        }
        while (server.heads.isEmpty()) {
            Thread.onSpinWait(); // the first request reached the server
        }
        release.countDown();
        for (Future<FetchResponse> call : calls) {
            assertEquals(200, call.get(HANG.toSeconds(), TimeUnit.SECONDS).status());
        }
        assertTrue(server.connections.get() < 20, "fetches in flight were shared: " + server.connections.get() + " connections");
    }

    @Test
    void aFetchStartedAfterAnotherEndedIsANewRequest() throws Exception {
        ScriptedServer server = server(answering("{}"));
        HttpFetcher fetcher = TestFetchers.create(TestFetchers.Config.defaults().allowingLocal("127.0.0.1").withCaps(1, 1, 1),
                resolverOf("127.0.0.1"));
        FetchRequest request = FetchRequest.get(URI.create("http://127.0.0.1:" + server.port() + "/again"));
        for (int i = 0; i < 20; i++) {
            assertEquals(200, fetcher.fetch(request).status()); // and never busy: the one permit is back first
        }
        assertEquals(20, server.connections.get());
    }

    @Test
    void pastTheCapOnFetchesInFlightCallersAreRefusedAtOnceThenServedAgain() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ScriptedServer slow = server((head, out) -> {
            release.await();
            ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
        });
        HttpFetcher fetcher = TestFetchers.create(TestFetchers.Config.defaults().allowingLocal("127.0.0.1").withCaps(2, 4, 4),
                resolverOf("127.0.0.1"));
        List<Future<FetchResponse>> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            FetchRequest request = FetchRequest.get(URI.create("http://127.0.0.1:" + slow.port() + "/" + i)).withDeadline(HANG);
            held.add(clients.submit(() -> fetcher.fetch(request)));
        }
        while (slow.heads.size() < 2) {
            Thread.onSpinWait();
        }
        FetchException busy = failure(fetcher, FetchRequest.get(URI.create("http://127.0.0.1:" + slow.port() + "/third")));
        assertEquals(Kind.BUSY, busy.kind());
        release.countDown();
        for (Future<FetchResponse> call : held) {
            assertEquals(200, call.get(HANG.toSeconds(), TimeUnit.SECONDS).status());
        }
        assertEquals(200, fetcher.fetch(FetchRequest.get(URI.create("http://127.0.0.1:" + slow.port() + "/again"))).status());
    }

    @Test
    void pastTheCapOnCallersOfOneUrlMoreAreRefusedWhileOtherUrlsAreServed() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ScriptedServer slow = server((head, out) -> {
            if (head.startsWith("GET /hostile ")) {
                release.await();
            }
            ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
        });
        HttpFetcher fetcher = TestFetchers.create(TestFetchers.Config.defaults().allowingLocal("127.0.0.1").withCaps(4, 16, 3),
                resolverOf("127.0.0.1"));
        FetchRequest hostile = FetchRequest.get(URI.create("http://127.0.0.1:" + slow.port() + "/hostile")).withDeadline(HANG);
        List<Future<FetchResponse>> sharing = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sharing.add(clients.submit(() -> fetcher.fetch(hostile)));
        }
        assertTimeoutPreemptively(HANG, () -> {
            while (fetcher.sharing(hostile) < 3) {
                Thread.onSpinWait(); // all three joined the one fetch
            }
        });
        FetchException busy = failure(fetcher, hostile.withDeadline(SHORT));
        assertEquals(Kind.BUSY, busy.kind());
        assertEquals(200, fetcher.fetch(FetchRequest.get(URI.create("http://127.0.0.1:" + slow.port() + "/other"))).status());
        release.countDown();
        for (Future<FetchResponse> call : sharing) {
            assertEquals(200, call.get(HANG.toSeconds(), TimeUnit.SECONDS).status());
        }
        assertEquals(2, slow.connections.get(), "the three shared one request; /other was the second");
    }

    @Test
    void aResolverThatHangsHoldsNoCallerPastItsDeadline() {
        CountDownLatch never = new CountDownLatch(1);
        HttpFetcher fetcher = TestFetchers.create(TestFetchers.Config.defaults(), host -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new UnknownHostException(host);
        });
        FetchException e = failure(fetcher, FetchRequest.get(URI.create("https://slow-dns.example/")).withDeadline(SHORT));
        assertEquals(Kind.FAILED, e.kind());
        never.countDown();
    }

    @Test
    void httpsChecksTheCertificateAgainstTheUrlsHost(@TempDir Path dir) throws Exception {
        // a key and self-signed certificate for idp.test, made by the JDK's keytool
        Path store = dir.resolve("idp.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "idp", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=idp.test",
                "-ext", "SAN=dns:idp.test", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "secret", "-keypass", "secret").redirectErrorStream(true).start();
        assertEquals(0, keytool.waitFor(), new String(keytool.getInputStream().readAllBytes(), UTF_8));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "secret".toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, "secret".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keys); // the client trusts this one certificate
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);

        ScriptedServer server = new ScriptedServer(serverTls.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress()), answering("{\"tls\":true}"));
        servers.add(server);
        HttpFetcher fetcher = new HttpFetcher(TestFetchers.Config.defaults().allowingLocal("idp.test", "other.test"),
                resolverOf("127.0.0.1"), clientTls.getSocketFactory());
        FetchResponse response = fetcher.fetch(FetchRequest.get(URI.create("https://idp.test:" + server.port() + "/doc")));
        assertEquals("{\"tls\":true}", new String(response.body(), UTF_8));
        FetchException wrongName = failure(fetcher, FetchRequest.get(URI.create("https://other.test:" + server.port() + "/")));
        assertEquals(Kind.FAILED, wrongName.kind());
        assertTrue(wrongName.detail().contains("SSL") || wrongName.detail().contains("certificate"), wrongName.detail());
    }

    @Test
    void aPostCarriesItsBody() throws Exception {
        ScriptedServer server = server(answering("{}"));
        localFetcher().fetch(FetchRequest.post(URI.create("http://127.0.0.1:" + server.port() + "/v"),
                "application/json", "{\"a\":1}".getBytes(UTF_8)));
        assertTrue(server.heads.get(0).contains("Content-Length: 7\r\n"), server.heads.get(0));
    }

    @Test
    void headersThatCouldSplitTheRequestAreRefused() {
        FetchRequest request = FetchRequest.get(URI.create("http://127.0.0.1:1/")).withHeader("X-A", "b\r\nHost: evil");
        assertEquals(Kind.REFUSED, failure(localFetcher(), request).kind());
    }
}
