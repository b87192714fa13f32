package org.openwebapps.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.openwebapps.itests.RouterStatus.count;
import static org.openwebapps.itests.RouterStatus.pending;
import static org.openwebapps.itests.ServerTestSupport.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.openwebapps.browserid.Algorithm;
import org.openwebapps.itests.PlainHttp.Reply;
import org.openwebapps.itests.browserid.TestIdp;

/**
 * The server JVM killed with {@code kill -9} while clients write and the mirror's replay is
 * pending: after a restart the replay resumes from the journal, and every acknowledged write is
 * there, in the primary (embedded H2) and in the mirror (MariaDB). Runs the unpacked distribution
 * as a process of its own (not in Pax Exam's container), since the test must outlive it.
 */
public class RouterCrashIT {

    private static final String APP = "https://myapps.example";
    private static final Duration TIMEOUT = ServerTestSupport.TIMEOUT;
    private static final String ADMIN_TOKEN = UUID.randomUUID().toString();

    private ServerProcess server;
    private TestIdp idp;
    private FaultyLink mariadb;
    private final Map<String, WriteLog> writes = new ConcurrentHashMap<>();
    private final AtomicInteger acks = new AtomicInteger();

    @Before
    public void unpack() throws Exception {
        ServerTestSupport.assumeServers("MYSQL_URL");
        URI mysql = URI.create(System.getenv("MYSQL_URL").substring("jdbc:".length()));
        mariadb = new FaultyLink(mysql.getHost(), mysql.getPort() < 0 ? 3306 : mysql.getPort());
        idp = TestIdp.start(Algorithm.RS256);
        server = ServerProcess.unpacked("crash-");
        Path etc = server.home.resolve("etc");
        Path features = etc.resolve("org.apache.karaf.features.cfg");
        String boot = Files.readString(features).replace("featuresBoot = \\", "featuresBoot = openwebapps-storage-mysql, \\");
        assertTrue("featuresBoot extended", boot.contains("openwebapps-storage-mysql, \\"));
        Files.writeString(features, boot);
        Files.writeString(etc.resolve("org.openwebapps.storage.router.cfg"), "primary = embedded\nmirror = mysql\n"
                + "probe.interval.ms = 200\n.admin.token = " + ADMIN_TOKEN + "\n");
        Files.writeString(etc.resolve("org.openwebapps.storage.mysql.cfg"), "url = jdbc:mysql://127.0.0.1:" + mariadb.port()
                + "/crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "\nuser = "
                + System.getenv().getOrDefault("MYSQL_USER", "root") + "\n.password = "
                + System.getenv().getOrDefault("MYSQL_PASSWORD", "") + "\n");
        Files.writeString(etc.resolve("org.openwebapps.sauropod.cfg"), "audiences = " + APP + "\n");
        Files.writeString(etc.resolve("org.openwebapps.fetch.cfg"), "allow.http.hosts = 127.0.0.1\n"
                + "allow.private.hosts = 127.0.0.1\n");
    }

    /** Also after an {@code unpack} that stopped early (no server configured: the test was skipped). */
    @After
    public void cleanUp() throws Exception {
        if (mariadb == null) {
            return;
        }
        mariadb.close();
        if (idp != null) {
            idp.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    public void killedWithAReplayPendingTheServerResumesItAndLosesNothing() throws Exception {
        start();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            String user = idp.email("crash" + c);
            String token = token(user);
            clients.add(pool.submit(() -> write(user, token, stop)));
        }
        int pendingAtKill;
        try {
            progress(50);
            mariadb.cut();
            progress(100);
            pendingAtKill = await("a replay pending", () -> pending(status()), pending -> pending >= 3);
            server.kill(); // mid-load: some writes acknowledged after the status above, some in flight
        } finally {
            stop.set(true);
            for (Future<?> client : clients) {
                client.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            pool.shutdownNow();
        }
        mariadb.mend();
        start();
        await("replay resumed and done", this::status, status -> status != null && RouterStatus.caughtUp(status, 2));

        int lost = 0;
        for (Map.Entry<String, WriteLog> user : writes.entrySet()) {
            String token = token(user.getKey());
            for (String key : user.getValue().keys()) {
                Reply read = PlainHttp.mustCall("GET", uri(keyPath(user.getKey(), key)), Map.of("Signature", token), null);
                if (read.status() != 200 || !user.getValue().explains(key, read.json().path("value").asText(),
                        read.json().path("timestamp").asLong())) {
                    lost++;
                }
            }
        }
        JsonNode check = PlainHttp.mustCall("POST", uri("/admin/storage/check"), admin(), null).json();
        System.out.printf("router crash: %d writes acknowledged, %d owners pending replay at the kill, %d lost; check %s%n",
                acks.get(), pendingAtKill, lost, check);
        assertEquals(0, lost);
        assertEquals(check.toString(), 0, check.path("differences").asInt());
        assertEquals(check.toString(), 0, check.path("pendingOwners").asInt());
        assertTrue(check.toString(), check.path("records").asInt() > 0);
    }

    /** Configuration copies (a password), the H2 files, the log and the journal are the server user's only. */
    @Test
    public void filesHoldingSecretsOrUserDataAreNotReadableByOthers() throws Exception {
        start();
        String user = idp.email("private");
        Reply written = PlainHttp.mustCall("PUT", uri(keyPath(user, "k")),
                Map.of("Signature", token(user), "Content-Type", "application/x-www-form-urlencoded"), "value=secret");
        assertEquals(written.body(), 204, written.status());
        List<String> open = new ArrayList<>();
        for (String folder : List.of("etc", "data")) {
            try (Stream<Path> files = Files.walk(server.home.resolve(folder))) {
                files.filter(Files::isRegularFile).forEach(file -> {
                    try {
                        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
                        if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                            open.add(server.home.relativize(file) + " " + PosixFilePermissions.toString(permissions));
                        }
                    } catch (IOException e) {
                        // gone meanwhile (a rolled log): nothing to check
                    }
                });
            }
        }
        assertTrue("readable by others: " + open, open.isEmpty());
        assertTrue(Files.exists(server.home.resolve("data/log/karaf.log")));
    }

    /** One device writing its keys in turn; a write without an answer (the kill) is not acknowledged. */
    private Void write(String user, String token, AtomicBoolean stop) {
        WriteLog mine = writes.computeIfAbsent(user, u -> new WriteLog());
        for (int n = 0; !stop.get(); n++) {
            String key = "k" + (n % 20);
            String value = "v" + n;
            mine.sending(key, value);
            try {
                Reply reply = PlainHttp.call("PUT", uri(keyPath(user, key)),
                        Map.of("Signature", token, "Content-Type", "application/x-www-form-urlencoded"), "value=" + q(value));
                if (reply.status() == 204) {
                    mine.acknowledged(key, value, Long.parseLong(reply.etag().replace("\"", ""), 36));
                    acks.incrementAndGet();
                } else if (reply.status() != 503) {
                    fail("PUT " + reply.status() + " " + reply.body());
                }
            } catch (IOException serverGone) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
        return null;
    }

    // --- the server process -------------------------------------------------------------------------

    private void start() throws IOException {
        server.start();
        await("both backends up", this::status, status -> status != null && count(status, "up") == 2);
    }

    // --- helpers -------------------------------------------------------------------------------------------

    private JsonNode status() {
        try {
            Reply reply = PlainHttp.call("POST", uri("/admin/storage/replay"), admin(), null);
            return reply.status() == 200 ? reply.json() : null;
        } catch (IOException notYet) {
            return null;
        }
    }

    private static Map<String, String> admin() {
        return Map.of("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    private void progress(int more) {
        int target = acks.get() + more;
        await(more + " more writes acknowledged", acks::get, count -> count >= target);
    }

    private String token(String email) {
        Reply reply = PlainHttp.mustCall("POST", uri("/session/start"), Map.of("Content-Type", "application/x-www-form-urlencoded"),
                "assertion=" + q(idp.assertion(email, APP)) + "&audience=" + q(APP));
        assertEquals(reply.body(), 200, reply.status());
        return reply.body();
    }

    private URI uri(String path) {
        return server.uri(path);
    }

    private static String keyPath(String user, String key) {
        return "/app/" + q(APP) + "/users/" + q(user) + "/keys/" + q(key);
    }

    private static String q(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
