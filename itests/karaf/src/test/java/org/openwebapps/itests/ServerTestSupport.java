package org.openwebapps.itests;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

import javax.inject.Inject;

import org.junit.Assume;
import org.junit.Before;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.util.tracker.ServiceTracker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Base of every container test: boots the built distribution (one fresh unpack per test class)
 * on a free HTTP port, waits until Karaf has finished booting and the REST runtime answers, and
 * offers HTTP helpers. Test methods run inside the container.
 */
public abstract class ServerTestSupport {

    /** Upper bound of every wait; reaching it fails the test. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final String HTTP_PORT = "openwebapps.itest.http.port";
    /** Path of the test resource jar, set by Maven in the test JVM. */
    private static final String TEST_RESOURCE = "openwebapps.itest.testresource";
    /** Its URL, as the container sees it. */
    private static final String TEST_RESOURCE_URL = "openwebapps.itest.testresource.url";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    protected BundleContext bundleContext;

    protected final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Configuration
    public Option[] configuration() {
        String distribution = requiredProperty("openwebapps.distribution");
        String port = String.valueOf(freePort());
        return new Option[] {
            karafDistributionConfiguration()
                    .frameworkUrl(new File(distribution).toURI().toString())
                    .name("Open Web Apps")
                    .unpackDirectory(new File("target/exam"))
                    .useDeployFolder(false),
            configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
            // keep target/exam/<id>/ (its data/log/karaf.log) to diagnose a failed run
            keepRuntimeFolder(),
            logLevel(LogLevel.INFO),
            editConfigurationFilePut("etc/org.apache.felix.http.cfg", "org.osgi.service.http.port", port),
            editConfigurationFilePut("etc/org.apache.felix.http.cfg", "org.apache.felix.http.host", "127.0.0.1"),
            // the container resolves pax-exam's own bundles from the build's local repository, offline
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                    requiredProperty("maven.repo.local")),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories", ""),
            editConfigurationFilePut("etc/system.properties", HTTP_PORT, port),
            editConfigurationFilePut("etc/system.properties", TEST_RESOURCE_URL,
                    new File(requiredProperty(TEST_RESOURCE)).toURI().toString()),
        };
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

    protected static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    /** Installs and starts the test resource bundle, which serves {@code /itest/*}. */
    protected Bundle installTestResource() throws BundleException {
        Bundle bundle = bundleContext.installBundle(System.getProperty(TEST_RESOURCE_URL));
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
     * @param variable an environment variable naming an external server (see README, "Tests")
     * @return its value; when unset the test fails under {@code CI=true} and is skipped otherwise
     */
    protected static String requireServer(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            String message = variable + " is not set: no server to test against";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + " (CI=true: .ci/run starts the servers and sets it)");
            }
            Assume.assumeTrue(message + " (skipped locally)", false);
        }
        return value;
    }

    private static String requiredProperty(String name) {
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
