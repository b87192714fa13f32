package org.openwebapps.itests.browserid;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.openwebapps.browserid.Algorithm;
import org.openwebapps.browserid.Certificates;
import org.openwebapps.browserid.SigningKey;

/**
 * A real BrowserID IdP for tests: an HTTP server on 127.0.0.1 with an ephemeral port (its domain
 * is {@code 127.0.0.1:PORT}, its users {@code name@127.0.0.1:PORT}) and its own key pair. It
 * serves {@code /.well-known/browserid} as told: support (its keys), {@code disabled},
 * {@code authority}, a redirect, a slow answer, or any broken document. Verifiers reach it over
 * plain HTTP through their {@code allow.http.hosts}.
 */
public final class TestIdp implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the body is sent: at once, one byte per {@code delay} (a trickle), or never ending. */
    private enum Pace {
        AT_ONCE, TRICKLE, ENDLESS
    }

    /** What {@code /.well-known/browserid} answers. */
    private record Answer(int status, String contentType, String body, Duration delay, Pace pace) {
        Answer(int status, String contentType, String body, Duration delay) {
            this(status, contentType, body, delay, Pace.AT_ONCE);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "test-idp");
        thread.setDaemon(true);
        return thread;
    });
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private volatile SigningKey key;
    private volatile List<SigningKey> publishedKeys;
    private volatile Answer answer;

    private TestIdp(Algorithm algorithm) throws IOException {
        this.key = SigningKey.generate(algorithm);
        this.publishedKeys = List.of(key);
        this.server = LoopbackServers.onFreshPort(); // its keys differ from any earlier IdP's on that port
        server.createContext("/.well-known/browserid", this::serve);
        server.setExecutor(executor);
        server.start();
        serveSupport();
    }

    /** @return a started IdP signing with a fresh key of {@code algorithm} */
    public static TestIdp start(Algorithm algorithm) throws IOException {
        return new TestIdp(algorithm);
    }

    /** @return {@code 127.0.0.1:PORT}, the IdP's domain and its users' email domain */
    public String domain() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** @return {@code name@domain()} */
    public String email(String name) {
        return name + "@" + domain();
    }

    /** @return how many times the support document was asked for */
    public int fetches() {
        return fetches.get();
    }

    /** Serve a support document with the current keys (the default). */
    public void serveSupport() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("authentication", "/sign_in");
        document.put("provisioning", "/provision");
        List<SigningKey> keys = publishedKeys;
        document.put("public-key", keys.get(keys.size() - 1).publicKeyJson());
        if (keys.size() > 1) {
            List<Object> all = new ArrayList<>();
            keys.forEach(k -> all.add(k.publicKeyJson()));
            document.put("keys", all);
        }
        answer = new Answer(200, "application/json", json(document), Duration.ZERO);
    }

    /**
     * Signs with a new key from now on, publishing old and new ({@code keys[]}) so certificates
     * of either verify.
     */
    public void rotateKey(Algorithm algorithm) {
        SigningKey next = SigningKey.generate(algorithm);
        publishedKeys = List.of(key, next);
        key = next;
        serveSupport();
    }

    /** {@code {"disabled": true}} */
    public void serveDisabled() {
        answer = new Answer(200, "application/json", "{\"disabled\":true}", Duration.ZERO);
    }

    /** {@code {"authority": domain}} */
    public void delegateTo(String authority) {
        answer = new Answer(200, "application/json", json(Map.of("authority", authority)), Duration.ZERO);
    }

    /** A 301 to another location. */
    public void serveRedirect() {
        answer = new Answer(301, "text/html", "", Duration.ZERO);
    }

    /** The support document, but only after {@code delay}. */
    public void serveSlowly(Duration delay) {
        serveSupport();
        answer = new Answer(answer.status(), answer.contentType(), answer.body(), delay);
    }

    /**
     * A hostile IdP: the support document's headers at once, then its body one byte per
     * {@code interval}, so every read succeeds and the fetch never ends on a read timeout.
     */
    public void serveTrickling(Duration interval) {
        serveSupport();
        answer = new Answer(answer.status(), answer.contentType(), answer.body(), interval, Pace.TRICKLE);
    }

    /** A hostile IdP: a chunked body that never ends (a JSON string that keeps growing). */
    public void serveEndless() {
        answer = new Answer(200, "application/json", "{\"x\":\"", Duration.ZERO, Pace.ENDLESS);
    }

    /** @return the requests being answered right now (a trickle the client hung up on ends) */
    public int openRequests() {
        return open.get();
    }

    /** Any answer at all: broken JSON, wrong content type, an error status. */
    public void serve(int status, String contentType, String body) {
        answer = new Answer(status, contentType, body, Duration.ZERO);
    }

    /** @return the key the IdP signs certificates with */
    public SigningKey key() {
        return key;
    }

    /**
     * @return a certificate for {@code email} (verified) of {@code userKey}, issued by this IdP
     */
    public String certificate(String email, SigningKey userKey, long issuedAt, long expiresAt) {
        return Certificates.certificate(key, domain(), Map.of("email", email), userKey, issuedAt, expiresAt);
    }

    /**
     * @return a backed assertion for {@code email} and {@code audience}, valid now: the
     *         certificate for an hour, the assertion for two minutes (a DS128 user key, as
     *         browsers made)
     */
    public String assertion(String email, String audience) {
        long now = System.currentTimeMillis();
        SigningKey user = SigningKey.generate(Algorithm.DS128);
        return Certificates.backed(certificate(email, user, now, now + 3_600_000),
                Certificates.assertion(user, audience, now + 120_000));
    }

    private void serve(HttpExchange exchange) throws IOException {
        fetches.incrementAndGet();
        open.incrementAndGet();
        Answer current = answer;
        try (exchange) {
            if (current.pace() == Pace.AT_ONCE && !current.delay().isZero()
                    && closing.await(current.delay().toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            byte[] body = current.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", current.contentType());
            if (current.status() / 100 == 3) {
                exchange.getResponseHeaders().set("Location", "http://" + domain() + "/elsewhere");
            }
            long length = current.pace() == Pace.ENDLESS ? 0 : body.length == 0 ? -1 : body.length; // 0: chunked
            exchange.sendResponseHeaders(current.status(), length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    send(current, body, out);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client hung up on a trickle or an endless body: what the tests want to see
        } finally {
            open.decrementAndGet();
        }
    }

    private void send(Answer current, byte[] body, OutputStream out) throws IOException, InterruptedException {
        switch (current.pace()) {
            case AT_ONCE -> out.write(body);
            case TRICKLE -> {
                for (byte b : body) {
                    out.write(b);
                    out.flush();
                    if (closing.await(current.delay().toMillis(), TimeUnit.MILLISECONDS)) {
                        return;
                    }
                }
            }
            case ENDLESS -> {
                out.write(body);
                byte[] more = "x".repeat(8192).getBytes(StandardCharsets.UTF_8);
                while (closing.getCount() > 0) {
                    out.write(more);
                }
            }
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
