package org.openwebapps.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

import javax.inject.Inject;

import org.junit.Assume;
import org.junit.Before;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Base of every container test: boots the built distribution (one fresh unpack per test class)
 * on a free HTTP port, waits until Karaf has finished booting and the REST runtime answers, and
 * offers HTTP helpers. Test methods run inside the container.
 */
public abstract class ServerTestSupport {

    /** Upper bound of every wait; reaching it fails the test. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(60);

    protected static final String HTTP_PORT = "openwebapps.itest.http.port";
    /**
     * Bundles the tests install into the container: Maven sets {@code openwebapps.itest.<name>}
     * to each jar's path in the test JVM; the container sees {@code openwebapps.itest.<name>.url}.
     */
    protected static final String TEST_RESOURCE = "testresource";
    protected static final String AUTH_EXAMPLE = "authexample";
    private static final List<String> TEST_BUNDLES = List.of(TEST_RESOURCE, AUTH_EXAMPLE);
    /** Decimals as written (AppSync's "1764161858.50" keeps its scale; as a double it would lose the 0). */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected ConfigurationAdmin configurationAdmin;

    private int revisions;

    protected final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Configuration
    public Option[] configuration() {
        String distribution = requiredProperty("openwebapps.distribution");
        String port = String.valueOf(freePort());
        List<Option> options = new ArrayList<>(List.of(
            karafDistributionConfiguration()
                    .frameworkUrl(new File(distribution).toURI().toString())
                    .name("Open Web Apps")
                    .unpackDirectory(new File("target/exam"))
                    .useDeployFolder(false),
            configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
            // keep target/exam/<id>/ (its data/log/karaf.log) to diagnose a failed run
            keepRuntimeFolder(),
            logLevel(LogLevel.INFO),
            // Boot features on their own thread: installed synchronously, the start-level thread
            // holds the features bundle while the deployer refreshes what pax-exam's bundles rewire,
            // and once in ~40 boots the two deadlocked (seen in CI: no remote bundle context in 180 s,
            // jstack: features-2-thread-1 in Felix.acquireBundleLock, FelixStartLevel in
            // BootFeaturesInstaller). The tests wait for BootFinished anyway (waitForServer).
            editConfigurationFilePut("etc/org.apache.karaf.features.cfg", "featuresBootAsynchronous", "true"),
            editConfigurationFilePut("etc/org.apache.felix.http.cfg", "org.osgi.service.http.port", port),
            editConfigurationFilePut("etc/org.apache.felix.http.cfg", "org.apache.felix.http.host", "127.0.0.1"),
            // the container resolves pax-exam's own bundles from the build's local repository, offline
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                    requiredProperty("maven.repo.local")),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories", ""),
            editConfigurationFilePut("etc/system.properties", HTTP_PORT, port),
            editConfigurationFilePut("etc/system.properties", "openwebapps.repo", requiredProperty("openwebapps.repo")),
            // the BrowserID test IdP, installed with the boot features so the test classes can import it
            CoreOptions.bundle(new File(requiredProperty("openwebapps.itest.testidp")).toURI().toString())));
        for (String name : TEST_BUNDLES) {
            options.add(editConfigurationFilePut("etc/system.properties", "openwebapps.itest." + name + ".url",
                    new File(requiredProperty("openwebapps.itest." + name)).toURI().toString()));
        }
        return options.toArray(new Option[0]);
    }

    /** Karaf installs its boot features, then the REST runtime builds its first Jersey generation. */
    @Before
    public void waitForServer() throws Exception {
        ServiceTracker<Object, Object> bootFinished = new ServiceTracker<>(bundleContext,
                bundleContext.createFilter("(objectClass=org.apache.karaf.features.BootFinished)"), null);
        bootFinished.open();
        try {
            assertNotNull("Karaf did not finish booting", bootFinished.waitForService(TIMEOUT.toMillis()));
        } finally {
            bootFinished.close();
        }
        awaitStatus("GET", "/__lbheartbeat__", 200);
    }

    protected static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + System.getProperty(HTTP_PORT) + path);
    }

    protected HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    protected HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    protected HttpResponse<String> post(String path, String contentType, String body) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Repeats {@code method path} until it answers {@code status}; fails after {@link #TIMEOUT}. */
    protected HttpResponse<String> awaitStatus(String method, String path, int status) {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return await(method + " " + path + " answering " + status, () -> {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                return null; // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }, response -> response != null && response.statusCode() == status);
    }

    /**
     * Evaluates {@code probe} until {@code done} accepts its value. Asynchronous changes (a
     * Jersey generation swap after a bundle event) have no completion signal to wait on, so this
     * polls every 20 ms and fails after {@link #TIMEOUT}.
     */
    protected static <T> T await(String what, Supplier<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (;;) {
            T value = probe.get();
            if (done.test(value)) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                fail(what + ": not reached within " + TIMEOUT.toSeconds() + " s, last value " + value);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /**
     * @param metrics what {@code /__metrics__} answered
     * @param sample  a sample's name and labels as the text format writes them (labels sorted by name)
     * @return its value, or -1 when there is no such sample
     */
    protected static double sample(String metrics, String sample) {
        return metrics.lines().filter(line -> line.startsWith(sample + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(sample.length() + 1).trim())).findFirst().orElse(-1);
    }

    /** @return a sample's value now (0 when it does not exist yet) */
    protected double metric(String sample) {
        HttpResponse<String> metrics = get("/__metrics__");
        assertEquals(metrics.body(), 200, metrics.statusCode());
        return Math.max(0, sample(metrics.body(), sample));
    }

    protected static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    /**
     * Lets the outbound fetcher reach test servers on 127.0.0.1 (the test IdP) over plain HTTP;
     * production allows neither.
     */
    protected void allowLocalFetches() throws Exception {
        reconfigure("org.openwebapps.fetch", Map.of("allow.http.hosts", "127.0.0.1", "allow.private.hosts", "127.0.0.1"));
    }

    /**
     * Replaces a configuration and waits until its component has been activated with it: the
     * configuration carries a revision marker, which DS copies into the component's service
     * properties.
     */
    protected void reconfigure(String pid, Map<String, ?> properties) throws Exception {
        String revision = pid + "-" + ++revisions;
        Hashtable<String, Object> update = new Hashtable<>(properties);
        update.put("itest.revision", revision);
        configurationAdmin.getConfiguration(pid, null).update(update);
        await("configuration " + revision + " active", () -> {
            try {
                return bundleContext.getServiceReferences((String) null, "(itest.revision=" + revision + ")");
            } catch (InvalidSyntaxException e) {
                throw new AssertionError(e);
            }
        }, references -> references != null);
    }

    /** Points the HBase backend at the test cluster ({@code HBASE_ZK_*}), in a fresh table. */
    protected void configureHBase() throws Exception {
        configureHBase(Map.of());
    }

    /** Like {@link #configureHBase()}, with more settings of the backend. */
    protected void configureHBase(Map<String, ?> settings) throws Exception {
        Hashtable<String, Object> properties = new Hashtable<>(settings);
        properties.put("zookeeper.quorum", requireServer("HBASE_ZK_QUORUM"));
        properties.put("zookeeper.port", Integer.valueOf(requireServer("HBASE_ZK_PORT")));
        properties.put("namespace", "it");
        properties.put("table", "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        configurationAdmin.getConfiguration("org.openwebapps.storage.hbase", null).update(properties);
    }

    /** Points the MySQL backend at the test server ({@code MYSQL_*}), in a fresh database. */
    protected void configureMysql() throws Exception {
        configureMysql(requireServer("MYSQL_URL").replaceAll("/[^/]*$", "/"));
    }

    /**
     * Points the MySQL backend at a fresh database on {@code server}.
     *
     * @param server a JDBC URL up to its last slash, e.g. {@code jdbc:mysql://127.0.0.1:3306/}
     */
    protected void configureMysql(String server) throws Exception {
        requireServer("MYSQL_URL");
        String database = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("url", server + database);
        properties.put("user", System.getenv().getOrDefault("MYSQL_USER", "root"));
        properties.put(".password", System.getenv().getOrDefault("MYSQL_PASSWORD", ""));
        configurationAdmin.getConfiguration("org.openwebapps.storage.mysql", null).update(properties);
    }

    /** Installs and starts the test resource bundle, which serves {@code /itest/*}. */
    protected Bundle installTestResource() throws BundleException {
        return installTestBundle(TEST_RESOURCE);
    }

    /** Installs (unless there) and starts one of {@link #TEST_BUNDLES}. */
    protected Bundle installTestBundle(String name) throws BundleException {
        Bundle bundle = bundleContext.installBundle(System.getProperty("openwebapps.itest." + name + ".url"));
        bundle.start();
        return bundle;
    }

    protected Bundle bundle(String symbolicName) {
        for (Bundle bundle : bundleContext.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        return null;
    }

    /**
     * @param variable an environment variable naming an external server (see README, "Tests"), which
     *                 the test declares with {@link RequiresServers}
     * @return its value
     */
    protected static String requireServer(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            // an assumption failing in the container would reach JUnit as a pass: ServerExam skips
            // such tests before the container boots, given the annotation
            throw new AssertionError(variable + " is not set: declare it with @RequiresServers so the test is skipped");
        }
        return value;
    }

    /**
     * For tests that run outside the container: skips the test when a variable is unset, or fails
     * it under {@code CI=true}.
     */
    static void assumeServers(String... variables) {
        for (String variable : variables) {
            String value = System.getenv(variable);
            if (value == null || value.isBlank()) {
                String message = variable + " is not set: no server to test against";
                if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                    fail(message + " (CI=true: .ci/run starts the servers and sets it)");
                }
                Assume.assumeTrue(message + " (skipped locally; tools/test-all.sh starts the servers)", false);
            }
        }
    }

    protected static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set (run the ITs through Maven)");
        }
        return value;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
