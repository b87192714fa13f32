package org.openwebapps.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.openwebapps.browserid.Algorithm;
import org.openwebapps.itests.PlainHttp.Reply;
import org.openwebapps.itests.browserid.TestIdp;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The storage router's invariant with real servers and real faults: HBase primary, MariaDB mirror,
 * clients writing and reading through Sauropod's HTTP API while a script takes the mirror away
 * (feature uninstalled, connections cut), the primary away (feature uninstalled, process frozen,
 * process killed and restarted), both at once, and swaps their roles. Every acknowledged write must then be readable with its
 * value and timestamp, no user's timestamps may go back, no read may miss an acknowledged write,
 * no 5xx but 503, and the consistency check must find primary and mirror identical.
 */
@RunWith(ServerExam.class)
@RequiresServers({"HBASE_PID", "HBASE_ZK_QUORUM", "HBASE_ZK_PORT", "MYSQL_URL"})
@ExamReactorStrategy(PerClass.class)
public class StorageFailoverIT extends ServerTestSupport {

    private static final String APP = "https://myapps.example";
    private static final String ROUTER = "org.openwebapps.storage.router";
    private static final String ADMIN_TOKEN = UUID.randomUUID().toString();
    private static final int CLIENTS = 4;
    private static final EnumSet<FeaturesService.Option> NO_REFRESH = EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles);

    @Inject
    private FeaturesService features;

    @Inject
    private SessionFactory shells;

    private TestIdp idp;
    private FaultyLink mariadb;
    /** The test HBase's process: static, as it outlives a test that restarts it (the environment's value goes stale). */
    private static String hbasePid;

    /** What clients saw: their writes by user, and the failures. */
    private final Map<String, WriteLog> writes = new ConcurrentHashMap<>();
    private final AtomicInteger acks = new AtomicInteger();
    private final AtomicInteger unavailable = new AtomicInteger();
    private final AtomicInteger otherErrors = new AtomicInteger();
    private final AtomicInteger backwards = new AtomicInteger();
    private final AtomicInteger staleReads = new AtomicInteger();
    private final List<String> firstProblems = new ArrayList<>();

    @Before
    public void setUp() throws Exception {
        String started = requireServer("HBASE_PID");
        if (hbasePid == null) {
            hbasePid = started;
        }
        URI mysql = URI.create(requireServer("MYSQL_URL").substring("jdbc:".length()));
        mariadb = new FaultyLink(mysql.getHost(), mysql.getPort() < 0 ? 3306 : mysql.getPort());
        idp = TestIdp.start(Algorithm.RS256);
        allowLocalFetches();
        configureHBase(Map.of("operation.timeout.ms", 2000));
        configureMysql("jdbc:mysql://127.0.0.1:" + mariadb.port() + "/");
        features.installFeature("openwebapps-storage-hbase", NO_REFRESH);
        features.installFeature("openwebapps-storage-mysql", NO_REFRESH);
        reconfigure(ROUTER, Map.of("primary", "hbase", "mirror", "mysql", ".admin.token", ADMIN_TOKEN,
                "probe.interval.ms", 200,
                // a frozen HBase: the backend gives up after 3 s (operation timeout 2 s plus one RPC
                // timeout), the watchdog after 4 s, and the test resumes it a few seconds later, well
                // inside the launcher's ZooKeeper session timeout, which would abort it on SIGCONT
                "call.timeout.ms", 4000));
        reconfigure("org.openwebapps.sauropod", Map.of("audiences", APP, "storage.target", "(storage.name=router)"));
        // every health check passing means the HBase client made its first (slow) call too
        awaitStatus("GET", "/__heartbeat__", 200);
        await("both backends up, nothing left to replay from earlier tests", () -> admin("POST", "/replay", null),
                reply -> reply.status() == 200 && RouterStatus.caughtUp(reply.json(), 2));
    }

    @After
    public void tearDown() throws Exception {
        if (hbasePid != null && ProcessHandle.of(Long.parseLong(hbasePid)).filter(ProcessHandle::isAlive).isPresent()) {
            signal("CONT"); // a failure while it was frozen
        } else if (hbasePid != null) {
            restartHBase(); // a failure after the kill: the test classes after this one need it
        }
        if (mariadb == null) {
            return; // skipped locally: no servers to test against
        }
        mariadb.close();
        idp.close();
        reconfigure(ROUTER, Map.of("primary", "embedded"));
        features.uninstallFeature("openwebapps-storage-hbase", NO_REFRESH);
        features.uninstallFeature("openwebapps-storage-mysql", NO_REFRESH);
    }

    @Test
    public void theShellShowsStatesSwitchesRolesAndChecks() throws Exception {
        Reply written = put(token(idp.email("shell")), idp.email("shell"), "k", "v");
        assertEquals(written.body(), 204, written.status());
        String status = shell("storage:status");
        assertTrue(status, status.matches("(?s).*hbase +primary +up .*mysql +mirror +up .*"));

        shell("storage:roles mysql hbase");
        await("roles switched", () -> shell("storage:status"), out -> out.matches("(?s).*hbase +mirror +up .*")
                && out.matches("(?s).*mysql +primary +up .*"));
        String check = shell("storage:check");
        assertTrue(check, check.contains("mysql vs hbase: 1 owners, 1 records, 0 differences") && check.contains("identical"));
    }

    private String shell(String command) {
        return KarafShell.run(shells, command);
    }

    @Test
    public void theAdminApiWantsItsTokenAndAValidBody() throws Exception {
        assertEquals(200, admin("GET", "", null).status());
        Reply wrong = call("GET", "/admin/storage", Map.of("Authorization", "Bearer not-" + ADMIN_TOKEN), null);
        assertEquals(401, wrong.status());
        assertEquals("unauthorized", wrong.json().path("error").asText());
        assertEquals(401, call("GET", "/admin/storage", Map.of(), null).status());
        assertEquals(400, admin("PUT", "/roles", "{\"mirror\":\"mysql\"}").status());
        assertEquals(400, admin("PUT", "/roles", "{\"primary\":\"hbase\",\"mirror\":\"hbase\"}").status());
        assertEquals(400, admin("PUT", "/roles", "{\"primary\":\"bad name!\"}").status());

        reconfigure(ROUTER, Map.of("primary", "hbase", "mirror", "mysql")); // no token: the API is off
        Reply off = admin("GET", "", null);
        assertEquals(403, off.status());
        assertTrue(off.body(), off.json().path("message").asText().contains(".admin.token"));
    }

    @Test
    public void noAcknowledgedWriteIsLostWhateverGoesOffAndOn() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            String user = idp.email("client" + c);
            String token = token(user);
            clients.add(pool.submit(() -> {
                runClient(user, token, stop);
                return null;
            }));
        }
        try {
            progress("normal operation");

            features.uninstallFeature("openwebapps-storage-mysql", NO_REFRESH);
            progress("mirror uninstalled");
            features.installFeature("openwebapps-storage-mysql", NO_REFRESH);
            steady("mirror reinstalled");

            features.uninstallFeature("openwebapps-storage-hbase", NO_REFRESH);
            progress("primary uninstalled");
            features.installFeature("openwebapps-storage-hbase", NO_REFRESH);
            steady("primary reinstalled");

            mariadb.cut();
            awaitState("mysql", "down");
            progress("mirror's connections cut");
            mariadb.mend();
            steady("mirror reachable again");

            signal("STOP");
            awaitState("hbase", "down");
            servedByTheMirror("frozen"); // a new device at once
            progress("primary's process frozen"); // the clients, once their calls to it gave up
            signal("CONT");
            steady("primary's process running again");

            signal("KILL");
            awaitState("hbase", "down");
            progress("primary's process killed");
            restartHBase();
            steady("primary's process restarted");

            int before = unavailable.get();
            features.uninstallFeature("openwebapps-storage-hbase", NO_REFRESH);
            mariadb.cut();
            await("503 while both are out", unavailable::get, seen -> seen > before + CLIENTS);
            features.installFeature("openwebapps-storage-hbase", NO_REFRESH);
            mariadb.mend();
            steady("both back");

            assertEquals(200, admin("PUT", "/roles", "{\"primary\":\"mysql\",\"mirror\":\"hbase\"}").status());
            progress("roles swapped");
            assertEquals(200, admin("PUT", "/roles", "{\"primary\":\"hbase\",\"mirror\":\"mysql\"}").status());
            progress("roles swapped back");
        } finally {
            stop.set(true);
            for (Future<?> client : clients) {
                client.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            pool.shutdownNow();
        }

        JsonNode status = await("replay finished", () -> admin("POST", "/replay", null),
                reply -> reply.status() == 200 && RouterStatus.caughtUp(reply.json(), 2)).json();
        JsonNode check = admin("POST", "/check", null).json();
        int lost = 0;
        for (Map.Entry<String, WriteLog> user : writes.entrySet()) {
            String token = token(user.getKey());
            for (String key : user.getValue().keys()) {
                Reply read = getKey(token, user.getKey(), key);
                if (read.status() != 200 || !user.getValue().explains(key, read.json().path("value").asText(),
                        read.json().path("timestamp").asLong())) {
                    lost++;
                    problem("lost " + user.getKey() + "/" + key + ": " + read.status() + " " + read.body()
                            + ", acknowledged " + user.getValue().last(key));
                }
            }
        }
        System.out.printf("storage failover: %d writes acknowledged, %d answered 503, %d other 5xx, %d lost,"
                + " %d stale reads, %d timestamps back; check %s; %s%n", acks.get(), unavailable.get(), otherErrors.get(),
                lost, staleReads.get(), backwards.get(), check, status);
        assertEquals(firstProblems.toString(), 0, otherErrors.get());
        assertEquals(firstProblems.toString(), 0, lost);
        assertEquals(firstProblems.toString(), 0, staleReads.get());
        assertEquals(firstProblems.toString(), 0, backwards.get());
        assertTrue(check.toString(), check.path("owners").asInt() >= CLIENTS);
        assertEquals(check.toString(), 0, check.path("differences").asInt());
        assertEquals(check.toString(), 0, check.path("pendingOwners").asInt());
    }

    /** One device: writes its user's keys in turn and reads back what it wrote last. */
    private void runClient(String user, String token, AtomicBoolean stop) {
        WriteLog mine = writes.computeIfAbsent(user, u -> new WriteLog());
        long last = 0;
        for (int n = 0; !stop.get(); n++) {
            String key = "k" + (n % 25);
            String value = "v" + n;
            mine.sending(key, value);
            Reply response = put(token, user, key, value);
            if (response.status() == 204) {
                long timestamp = Long.parseLong(response.etag().replace("\"", ""), 36);
                if (timestamp <= last) {
                    backwards.incrementAndGet();
                    problem(user + " stamped " + timestamp + " after " + last);
                }
                last = timestamp;
                mine.acknowledged(key, value, timestamp);
                acks.incrementAndGet();
            } else {
                tally(response);
            }
            if (n % 3 == 2) {
                String readKey = "k" + (n % 25);
                WriteLog.Acknowledged expected = mine.last(readKey);
                Reply read = getKey(token, user, readKey);
                if (read.status() == 200) {
                    if (!mine.explains(readKey, read.json().path("value").asText(), read.json().path("timestamp").asLong())) {
                        staleReads.incrementAndGet();
                        problem("read " + user + "/" + readKey + " " + read.body() + ", acknowledged " + expected);
                    }
                } else if (read.status() != 404 || expected != null) {
                    tally(read);
                }
            }
        }
    }

    private void tally(Reply response) {
        if (response.status() == 503 && response.retryAfter() != null) {
            unavailable.incrementAndGet();
        } else {
            otherErrors.incrementAndGet();
            problem(response.method() + " " + response.status() + " " + response.body());
        }
    }

    private void problem(String description) {
        synchronized (firstProblems) {
            if (firstProblems.size() < 10) {
                firstProblems.add(description);
            }
        }
    }

    /** Waits until the router has seen {@code backend} reach {@code state}. */
    private void awaitState(String backend, String state) {
        await(backend + " " + state, () -> admin("GET", "", null), reply -> {
            for (JsonNode status : reply.json().path("backends")) {
                if (status.path("name").asText().equals(backend)) {
                    return status.path("state").asText().equals(state);
                }
            }
            return false;
        });
    }

    /** Waits until both backends are up and caught up, then for more progress: the next fault starts from calm. */
    private void steady(String step) {
        await(step + ": both up, replay done", () -> admin("POST", "/replay", null),
                reply -> reply.status() == 200 && RouterStatus.caughtUp(reply.json(), 2));
        progress(step);
    }

    /** A write and a read of a user no client is stuck on. */
    private void servedByTheMirror(String step) {
        String user = idp.email("while-" + step);
        String token = token(user);
        Reply written = put(token, user, "k", step);
        assertEquals(written.body(), 204, written.status());
        Reply read = getKey(token, user, "k");
        assertEquals(read.body(), 200, read.status());
        assertEquals(step, read.json().path("value").asText());
        System.out.printf("storage failover: primary %s, a new device served, at %tT%n", step, System.currentTimeMillis());
    }

    /** Waits until the clients got 30 more writes acknowledged. */
    private void progress(String step) {
        int target = acks.get() + 30;
        await(step + ": writes acknowledged", acks::get, count -> count >= target);
        System.out.printf("storage failover: %s, then 30 writes acknowledged, at %tT%n", step, System.currentTimeMillis());
    }

    /** Starts the killed HBase again on its data and ZooKeeper port ({@code tools/hbase/start.sh --restart}). */
    private void restartHBase() throws IOException, InterruptedException {
        Process start = new ProcessBuilder(System.getProperty("openwebapps.repo") + "/tools/hbase/start.sh", "--restart")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String exports = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("tools/hbase/start.sh --restart: " + exports, 0, start.waitFor());
        Matcher pid = Pattern.compile("HBASE_PID=(\\d+)").matcher(exports);
        assertTrue(exports, pid.find());
        hbasePid = pid.group(1);
    }

    private void signal(String signal) throws IOException, InterruptedException {
        if (hbasePid != null) {
            assertEquals(0, new ProcessBuilder("kill", "-" + signal, hbasePid).inheritIO().start().waitFor());
        }
    }

    // --- HTTP ---------------------------------------------------------------------------------------------

    private static Reply call(String method, String path, Map<String, String> headers, String body) {
        return PlainHttp.mustCall(method, uri(path), headers, body);
    }

    private Reply admin(String method, String path, String json) {
        return json == null ? call(method, "/admin/storage" + path, Map.of("Authorization", "Bearer " + ADMIN_TOKEN), null)
                : call(method, "/admin/storage" + path, Map.of("Authorization", "Bearer " + ADMIN_TOKEN,
                        "Content-Type", "application/json"), json);
    }

    private String token(String email) {
        Reply reply = call("POST", "/session/start", Map.of("Content-Type", "application/x-www-form-urlencoded"),
                "assertion=" + q(idp.assertion(email, APP)) + "&audience=" + q(APP));
        assertEquals(reply.body(), 200, reply.status());
        return reply.body();
    }

    private static Reply put(String token, String user, String key, String value) {
        return call("PUT", keyPath(user, key), Map.of("Signature", token, "Content-Type", "application/x-www-form-urlencoded"),
                "value=" + q(value));
    }

    private static Reply getKey(String token, String user, String key) {
        return call("GET", keyPath(user, key), Map.of("Signature", token), null);
    }

    private static String keyPath(String user, String key) {
        return "/app/" + q(APP) + "/users/" + q(user) + "/keys/" + q(key);
    }

    private static String q(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
