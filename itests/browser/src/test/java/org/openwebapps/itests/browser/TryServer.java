package org.openwebapps.itests.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The server as a newcomer starts it, {@code tools/run-server.sh --try}, on free loopback ports,
 * unpacked under {@code target/}; and the HTTP calls the tests make beside the browser (another
 * "device", the store's API).
 */
final class TryServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

    final int port;
    final int samplesPort;
    final String base;
    final Path home;
    private final Path log;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private TryServer(int port, int samplesPort, Path home, Path log, Process process) {
        this.port = port;
        this.samplesPort = samplesPort;
        this.base = "http://127.0.0.1:" + port;
        this.home = home;
        this.log = log;
        this.process = process;
    }

    /** Starts the server and waits until its sample apps are in the store. */
    static TryServer start(Path output) throws Exception {
        int port = freePort();
        int samplesPort = freePort();
        Path home = output.resolve("try-home");
        Path log = output.resolve("try-server.log");
        Files.createDirectories(output);
        deleteTree(home); // a fresh store: the sample apps' origins carry this run's port
        ProcessBuilder builder = new ProcessBuilder("bash", Path.of(System.getProperty("openwebapps.repo"), "tools", "run-server.sh")
                .toString(), "--try").redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.put("OWA_HOME", home.toString());
        environment.put("OWA_HTTP_PORT", String.valueOf(port));
        environment.put("OWA_TRY_APPS_PORT", String.valueOf(samplesPort));
        environment.put("OWA_SSH_PORT", String.valueOf(freePort()));
        environment.put("OWA_DISTRIBUTION", System.getProperty("openwebapps.distribution"));
        TryServer server = new TryServer(port, samplesPort, home, log, builder.start());
        server.awaitReady();
        return server;
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String out = Files.exists(log) ? Files.readString(log) : "";
            if (out.contains("Try it: open ")) {
                return;
            }
            if (!process.isAlive()) {
                fail("tools/run-server.sh --try stopped: " + out);
            }
            TimeUnit.MILLISECONDS.sleep(200); // polling the script's output for its ready line
        }
        fail("tools/run-server.sh --try not ready within " + START_TIMEOUT.toMinutes() + " min: " + Files.readString(log));
    }

    /** Changes a setting in the server's etc/ file, as an operator would (applied while running). */
    void configure(String pid, String key, String value) throws IOException {
        Path file = home.resolve("etc").resolve(pid + ".cfg");
        String text = Files.readString(file);
        String line = key + " = " + value;
        text = text.matches("(?s).*(^|\n)" + java.util.regex.Pattern.quote(key) + " *=.*")
                ? text.replaceAll("(?m)^" + java.util.regex.Pattern.quote(key) + " *=.*$", java.util.regex.Matcher.quoteReplacement(line))
                : text + "\n" + line + "\n";
        Files.writeString(file, text);
    }

    String email(String name) {
        return name + "@127.0.0.1:" + port;
    }

    /** The origin of sample app {@code n} (0..3) of tools/try/sample_apps.py. */
    String sampleOrigin(int n) {
        return "http://127.0.0." + (n + 2) + ":" + samplesPort;
    }

    // --- HTTP ------------------------------------------------------------------------------------

    record Reply(int status, String body, HttpResponse<String> response) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    Reply send(String method, String url, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.startsWith("http") ? url : base + url))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new AssertionError(method + " " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    JsonNode expect(int status, Reply reply) {
        assertEquals(status, reply.status(), reply.body());
        return reply.json();
    }

    String assertion(String name) {
        return expect(200, send("POST", "/dev-idp/assertion", Map.of("Content-Type", "application/json"),
                "{\"email\":\"" + email(name) + "\",\"audience\":\"" + base + "\"}")).path("assertion").asText();
    }

    /** Another device of the user: {collection URL, Authorization}, logged in with the 2011 protocol. */
    String[] device(String name) {
        JsonNode login = expect(200, send("POST", "/verify", Map.of("Content-Type", "application/x-www-form-urlencoded"),
                "assertion=" + URLEncoder.encode(assertion(name), StandardCharsets.UTF_8) + "&audience="
                        + URLEncoder.encode(base, StandardCharsets.UTF_8)));
        return new String[] {login.path("collection_url").asText(), login.path("http_authorization").asText()};
    }

    JsonNode sync(String[] device, String since) {
        return expect(200, send("GET", device[0] + "?since=" + since, Map.of("Authorization", device[1]), null));
    }

    JsonNode post(String[] device, String query, String json) {
        return expect(200, send("POST", device[0] + query, Map.of("Authorization", device[1], "Content-Type", "application/json"), json));
    }

    /** A Marketplace token for the user. */
    String storeToken(String name) {
        return expect(201, send("POST", "/marketplace/api/v1/account/login", Map.of("Content-Type", "application/json"),
                "{\"assertion\":\"" + assertion(name) + "\",\"audience\":\"" + base + "\"}")).path("token").asText();
    }

    JsonNode store(int status, String method, String path, String token, String json) {
        Map<String, String> headers = new java.util.HashMap<>();
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        if (json != null) {
            headers.put("Content-Type", "application/json");
        }
        return expect(status, send(method, "/marketplace/api/v1" + path, headers, json));
    }

    @Override
    public void close() throws Exception {
        try {
            new ProcessBuilder(home.resolve("bin").resolve("stop").toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
        } finally {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (var paths = Files.walk(root)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
