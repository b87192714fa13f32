package org.openwebapps.itests;

import static org.junit.Assert.assertEquals;
import static org.openwebapps.itests.ServerTestSupport.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The server as an operator runs it: a process of its own (not Pax Exam's container), started from
 * a folder on disk, for tests that must outlive it, kill it or act on it from outside.
 */
final class ServerProcess implements AutoCloseable {

    final Path home;
    final int httpPort;
    final int sshPort;
    private Process process;

    private ServerProcess(Path home) throws IOException {
        this.home = home;
        this.httpPort = freePort();
        this.sshPort = freePort();
    }

    /** The distribution unpacked into a new folder under target/. */
    static ServerProcess unpacked(String prefix) throws Exception {
        ServerProcess server = in(prefix);
        run(List.of("tar", "-xzf", distribution(), "-C", server.home.toString(), "--strip-components=1"));
        return server;
    }

    /** A new, empty folder under target/, for a launcher that unpacks the server itself. */
    static ServerProcess in(String prefix) throws IOException {
        return new ServerProcess(Files.createTempDirectory(Path.of("target"), prefix).toAbsolutePath());
    }

    static String distribution() {
        return System.getProperty("openwebapps.distribution");
    }

    Path etc(String file) {
        return home.resolve("etc").resolve(file);
    }

    /** {@code bin/karaf server}, answering its heartbeat. */
    void start() throws IOException {
        start(List.of(home.resolve("bin/karaf").toString(), "server"), Map.of());
    }

    /** Any launcher of the server (e.g. tools/run-server.sh), with the ports of this process set. */
    void start(List<String> command, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolveSibling(home.getFileName() + "-console.log").toFile()));
        builder.environment().put("OWA_HTTP_HOST", "127.0.0.1");
        builder.environment().put("OWA_HTTP_PORT", String.valueOf(httpPort));
        builder.environment().put("OWA_SSH_PORT", String.valueOf(sshPort));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(environment);
        process = builder.start();
        await("the server answering", () -> {
            try {
                return PlainHttp.call("GET", uri("/__lbheartbeat__"), Map.of(), null).status();
            } catch (IOException notYet) {
                return process.isAlive() ? 0 : -1;
            }
        }, status -> status == 200 || status == -1);
        assertEquals("the server exited; see " + home + "-console.log", true, process.isAlive());
    }

    /** {@code kill -9} of the JVM and of the launcher scripts that started it. */
    void kill() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> processes = new ArrayList<>(process.descendants().toList());
        processes.add(process.toHandle());
        processes.forEach(ProcessHandle::destroyForcibly);
        processes.forEach(p -> p.onExit().join());
        process = null;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    /** Kills the server and deletes its folder. */
    @Override
    public void close() throws IOException {
        kill();
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    static void run(List<String> command) throws IOException, InterruptedException {
        Process child = new ProcessBuilder(command).inheritIO().start();
        assertEquals(String.join(" ", command), 0, child.waitFor());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
