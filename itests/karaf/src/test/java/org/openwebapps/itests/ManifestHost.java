package org.openwebapps.itests;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

import org.openwebapps.itests.browserid.LoopbackServers;

/**
 * One web app's origin on the loopback (its own port, so its own origin), serving its manifest at
 * {@code /manifest.webapp} as the test sets it: well, or as a hostile host would.
 */
final class ManifestHost implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile int status = 200;
    private volatile String contentType = "application/x-web-app-manifest+json";
    private volatile byte[] body = new byte[0];
    private volatile boolean hang;
    private volatile boolean endless;

    ManifestHost() throws IOException {
        server = LoopbackServers.onFreshPort(); // an origin no earlier host had: the catalog keeps apps
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            if (hang) { // holds the answer until the host closes: a fetch that never ends
                try {
                    closing.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (endless) { // a body that never ends, sent as fast as the fetcher reads it
                exchange.getResponseHeaders().set("Content-Type", contentType);
                exchange.sendResponseHeaders(200, 0);
                byte[] chunk = " ".repeat(8192).getBytes(StandardCharsets.US_ASCII);
                try (OutputStream out = exchange.getResponseBody()) {
                    while (closing.getCount() > 0) {
                        out.write(chunk);
                    }
                } catch (IOException e) {
                    // the fetcher gave up
                }
                return;
            }
            byte[] answer = body;
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            } catch (IOException e) {
                // the fetcher gave up
            }
        });
        server.start();
    }

    /** A valid manifest naming {@code store} in installs_allowed_from. */
    static String manifest(String name, String store) {
        return "{\"name\":\"" + name + "\",\"description\":\"" + name + " for testing\",\"launch_path\":\"/index.html\","
                + "\"icons\":{\"128\":\"/icon-128.png\"},\"developer\":{\"name\":\"Tester\",\"url\":\"https://dev.example\"},"
                + "\"installs_allowed_from\":[\"" + store + "\"]}";
    }

    ManifestHost serve(String json) {
        return serve(200, "application/x-web-app-manifest+json", json.getBytes(StandardCharsets.UTF_8));
    }

    ManifestHost serve(int newStatus, String newContentType, byte[] newBody) {
        hang = false;
        endless = false;
        status = newStatus;
        contentType = newContentType;
        body = newBody.clone();
        return this;
    }

    ManifestHost hang() {
        hang = true;
        return this;
    }

    ManifestHost endless() {
        endless = true;
        return this;
    }

    String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String manifestUrl() {
        return origin() + "/manifest.webapp";
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
