package org.openwebapps.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.openwebapps.itests.ServerTestSupport.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Assume;
import org.junit.Test;

/**
 * What an operator does to a running server from outside, on the real distribution: commands
 * through the remote shell (bin/remote-shell over SSH with a key), the access log, and an upgrade through
 * tools/run-server.sh that keeps the operator's configuration.
 */
public class OperationsIT {

    private final List<ServerProcess> servers = new ArrayList<>();

    @After
    public void stopServers() throws IOException {
        for (ServerProcess server : servers) {
            server.close();
        }
    }

    @Test
    public void theRemoteShellRunsCommandsFromAScriptAndHotSwapsAFeature() throws Exception {
        requireCommand("ssh");
        requireCommand("ssh-keygen");
        ServerProcess server = track(ServerProcess.unpacked("shell-"));
        Path key = server.home.resolveSibling(server.home.getFileName() + "-key");
        ServerProcess.run(List.of("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", key.toString()));
        String publicKey = Files.readString(Path.of(key + ".pub")).split(" ")[1];
        Files.writeString(server.etc("keys.properties"), "ops=" + publicKey + ",_g_:admingroup\n", StandardOpenOption.APPEND);
        server.start();

        Result features = shell(server, key, "ops", "feature:list -i");
        assertEquals(features.output, 0, features.status);
        assertTrue(features.output, features.output.contains("openwebapps-server"));
        Result storage = shell(server, key, "ops", "storage:status");
        assertEquals(storage.output, 0, storage.status);
        assertTrue(storage.output, storage.output.matches("(?s).*embedded\\s+primary\\s+up.*"));
        assertNotEquals("an unknown command fails", 0, shell(server, key, "ops", "nosuch:command").status);
        assertNotEquals("a user whose key is not listed is refused", 0, shell(server, key, "intruder", "feature:list").status);

        Result uninstall = shell(server, key, "ops", "feature:uninstall openwebapps-storage-embedded");
        assertEquals(uninstall.output, 0, uninstall.status);
        await("the embedded backend gone", () -> storageStatus(server, key), out -> out.matches("(?s).*embedded\\s+primary\\s+absent.*"));
        Result install = shell(server, key, "ops", "feature:install openwebapps-storage-embedded");
        assertEquals(install.output, 0, install.status);
        await("the embedded backend back", () -> storageStatus(server, key), out -> out.matches("(?s).*embedded\\s+primary\\s+up.*"));
    }

    @Test
    public void theAccessLogHasALinePerRequestWithoutQueryStrings() throws Exception {
        ServerProcess server = track(ServerProcess.unpacked("access-"));
        server.start();
        assertEquals(404, PlainHttp.mustCall("GET", server.uri("/no-such-page?token=s3cr3t"), Map.of("User-Agent", "ops-test"), null).status());
        String line = await("the request's line in data/log/access-*.log", () -> accessLog(server).lines()
                .filter(l -> l.contains("/no-such-page")).findFirst().orElse(null), l -> l != null);
        assertTrue(line, line.matches("127\\.0\\.0\\.1 - - \\[[^]]+] \"GET /no-such-page HTTP/1\\.1\" 404 \\d+ \\d+ \"ops-test\""));
        assertFalse(accessLog(server), accessLog(server).contains("s3cr3t"));
    }

    /**
     * The operator sets values in etc/, then a newer build arrives (its defaults changed): their values
     * stay, the keys they left alone take the new defaults, new keys and files arrive, their own files stay.
     */
    @Test
    public void anUpgradeThroughRunServerKeepsTheOperatorsConfiguration() throws Exception {
        Path repo = Path.of(System.getProperty("openwebapps.repo"));
        ServerProcess server = track(ServerProcess.in("upgrade-"));
        Map<String, String> environment = Map.of("OWA_HOME", server.home.toString(), "OWA_DISTRIBUTION", ServerProcess.distribution());
        List<String> runServer = List.of(repo.resolve("tools/run-server.sh").toString());
        server.start(runServer, environment);
        server.kill();

        Path dashboard = server.etc("org.openwebapps.dashboard.cfg");
        Files.writeString(dashboard, Files.readString(dashboard).replaceAll("(?m)^poll\\.seconds *=.*$", "poll.seconds = 42"));
        Files.writeString(server.etc("org.openwebapps.operator.cfg"), "mine = yes\n");

        // the next build: new defaults in the file the operator edited and in one they did not, a new file
        Path newer = server.home.resolveSibling(server.home.getFileName() + "-next");
        Files.createDirectories(newer);
        ServerProcess.run(List.of("tar", "-xzf", ServerProcess.distribution(), "-C", newer.toString()));
        Path next = onlyChild(newer);
        Path nextDashboard = next.resolve("etc/org.openwebapps.dashboard.cfg");
        Files.writeString(nextDashboard, Files.readString(nextDashboard).replaceAll("(?m)^poll\\.seconds *=.*$", "poll.seconds = 7")
                + "# a key this version added\nbrand.new = on\n");
        Path heartbeat = next.resolve("etc/org.openwebapps.http.heartbeat.cfg");
        Files.writeString(heartbeat, Files.readString(heartbeat) + "# new in this version\n");
        Files.writeString(next.resolve("etc/org.openwebapps.shipped.cfg"), "fresh = yes\n");
        Path tarball = newer.resolve("next.tar.gz");
        ServerProcess.run(List.of("tar", "-czf", tarball.toString(), "-C", newer.toString(), next.getFileName().toString()));
        Files.setLastModifiedTime(tarball, FileTime.from(Instant.now().plusSeconds(5)));

        server.start(runServer, Map.of("OWA_HOME", server.home.toString(), "OWA_DISTRIBUTION", tarball.toString()));
        String merged = Files.readString(dashboard);
        assertTrue(merged, merged.contains("poll.seconds = 42"));
        assertFalse(merged, merged.contains("poll.seconds = 7"));
        assertTrue(merged, merged.contains("brand.new = on"));
        assertEquals(Files.readString(heartbeat), Files.readString(server.etc("org.openwebapps.http.heartbeat.cfg")));
        assertEquals("fresh = yes\n", Files.readString(server.etc("org.openwebapps.shipped.cfg")));
        assertEquals("mine = yes\n", Files.readString(server.etc("org.openwebapps.operator.cfg")));
        await("the Dashboard's configuration", () -> status(server, "/dashboard/config.json"), status -> status == 200);
        String config = PlainHttp.mustCall("GET", server.uri("/dashboard/config.json"), Map.of(), null).body();
        assertTrue(config, config.contains("\"poll_seconds\":42"));
        try (Stream<Path> files = Files.walk(newer)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------

    private record Result(int status, String output) {
    }

    private static Result shell(ServerProcess server, Path key, String user, String command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(server.home.resolve("bin/remote-shell").toString(), command).redirectErrorStream(true);
        builder.environment().put("OWA_SHELL_KEY", key.toString());
        builder.environment().put("OWA_SHELL_USER", user);
        builder.environment().put("OWA_SSH_PORT", String.valueOf(server.sshPort));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(ServerTestSupport.TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("bin/remote-shell " + command + " did not end: " + output);
        }
        return new Result(process.exitValue(), output);
    }

    private static String storageStatus(ServerProcess server, Path key) {
        try {
            return shell(server, key, "ops", "storage:status").output;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int status(ServerProcess server, String path) {
        try {
            return PlainHttp.call("GET", server.uri(path), Map.of(), null).status();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String accessLog(ServerProcess server) {
        try (Stream<Path> logs = Files.list(server.home.resolve("data/log"))) {
            StringBuilder all = new StringBuilder();
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("access-")).toList()) {
                all.append(Files.readString(log));
            }
            return all.toString();
        } catch (IOException e) {
            return "";
        }
    }

    private static Path onlyChild(Path folder) throws IOException {
        try (Stream<Path> children = Files.list(folder)) {
            return children.findFirst().orElseThrow();
        }
    }

    private ServerProcess track(ServerProcess server) {
        servers.add(server);
        return server;
    }

    /** Installed by .ci/run (openssh-client); a machine without it skips locally and fails under CI=true. */
    private static void requireCommand(String command) {
        boolean found = Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
        if (!found && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(command + " is not installed (CI=true: .ci/run installs openssh-client)");
        }
        Assume.assumeTrue(command + " is not installed: skipped locally", found);
    }
}
