package org.openwebapps.http.rest.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.openwebapps.health.HealthCheck;
import org.openwebapps.health.HealthResult;
import org.openwebapps.rest.JakartarsName;
import org.openwebapps.rest.JakartarsResource;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The Dockerflow service endpoints: {@code /__lbheartbeat__} (the process serves),
 * {@code /__heartbeat__} (every registered {@link HealthCheck} passes) and {@code /__version__}.
 */
@Component(service = DockerflowResource.class, configurationPid = DockerflowResource.PID)
@Designate(ocd = HeartbeatConfiguration.class)
@JakartarsResource
@JakartarsName("dockerflow")
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class DockerflowResource {

    static final String PID = "org.openwebapps.http.heartbeat";

    private static final Logger LOG = LoggerFactory.getLogger(DockerflowResource.class);

    /** Replaced as a whole by DS on every change; read once per request. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<HealthCheck> checks = List.of();

    private final Map<String, Object> version;
    private final ExecutorService executor;
    private final Map<String, Boolean> lastHealthy = new ConcurrentHashMap<>();
    private volatile long timeoutMillis;
    private final AtomicReference<CompletableFuture<Map<String, Object>>> running = new AtomicReference<>();

    @Activate
    public DockerflowResource(BundleContext context, HeartbeatConfiguration config) {
        modified(config);
        Dictionary<String, String> headers = context.getBundle().getHeaders();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", headers.get("Server-Name"));
        info.put("version", headers.get("Server-Version"));
        String commit = headers.get("Server-Commit");
        info.put("commit", commit == null || commit.isBlank() ? "unknown" : commit);
        this.version = Collections.unmodifiableMap(info);
        AtomicInteger threads = new AtomicInteger();
        // Bounded: a stuck check can hold a thread only until its timeout cancels it.
        this.executor = new ThreadPoolExecutor(0, 16, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "openwebapps-health-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Modified
    void modified(HeartbeatConfiguration config) {
        if (config.check_timeout_ms() < 1) {
            throw new IllegalArgumentException("check.timeout.ms must be at least 1, got " + config.check_timeout_ms());
        }
        timeoutMillis = config.check_timeout_ms();
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    @GET
    @Path("__lbheartbeat__")
    public Map<String, String> lbHeartbeat() {
        return Map.of("status", "ok");
    }

    @GET
    @Path("__version__")
    public Map<String, Object> version() {
        return version;
    }

    /**
     * Callers arriving while a run is in progress share it: 40 load balancers polling at once
     * cost one run of the checks, not 40 (which the bounded executor would refuse as "not run").
     */
    @GET
    @Path("__heartbeat__")
    public Response heartbeat() {
        CompletableFuture<Map<String, Object>> mine = new CompletableFuture<>();
        CompletableFuture<Map<String, Object>> shared = running.compareAndExchange(null, mine);
        Map<String, Object> body;
        if (shared == null) {
            try {
                body = runChecks();
            } catch (RuntimeException e) {
                running.set(null);
                mine.completeExceptionally(e);
                throw e;
            }
            running.set(null); // a caller arriving from now on gets a fresh run
            mine.complete(body);
        } else {
            body = shared.join(); // bounded: a run ends within check.timeout.ms
        }
        boolean healthy = "ok".equals(body.get("status"));
        return Response.status(healthy ? Response.Status.OK : Response.Status.SERVICE_UNAVAILABLE).entity(body).build();
    }

    private Map<String, Object> runChecks() {
        List<HealthCheck> current = checks;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        List<Future<HealthResult>> futures = new ArrayList<>(current.size());
        for (HealthCheck check : current) {
            futures.add(submit(check));
        }
        Map<String, Map<String, String>> results = new LinkedHashMap<>();
        boolean healthy = true;
        for (int i = 0; i < current.size(); i++) {
            String name = nameOf(current.get(i));
            HealthResult result = await(futures.get(i), deadline);
            healthy &= result.healthy();
            results.put(name, Map.of("status", result.healthy() ? "ok" : "error", "message", result.message()));
            logChange(name, result);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", healthy ? "ok" : "error");
        body.put("checks", results);
        return Collections.unmodifiableMap(body);
    }

    private Future<HealthResult> submit(HealthCheck check) {
        try {
            return executor.submit(check::check);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(
                    HealthResult.failed("not run: too many health checks in progress"));
        }
    }

    private static HealthResult await(Future<HealthResult> future, long deadline) {
        try {
            HealthResult result = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return result == null ? HealthResult.failed("check returned no result") : result;
        } catch (TimeoutException e) {
            future.cancel(true);
            return HealthResult.failed("timed out");
        } catch (ExecutionException e) {
            return HealthResult.failed("check failed: " + e.getCause().getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthResult.failed("interrupted");
        }
    }

    private static String nameOf(HealthCheck check) {
        try {
            return check.name();
        } catch (RuntimeException e) {
            return check.getClass().getName();
        }
    }

    /** A check's failure is logged when it starts failing and when it recovers, not on every poll. */
    private void logChange(String name, HealthResult result) {
        Boolean previous = lastHealthy.put(name, result.healthy());
        if (previous == null ? !result.healthy() : previous != result.healthy()) {
            if (result.healthy()) {
                LOG.info("Health check {} passes again", name);
            } else {
                LOG.warn("Health check {} fails: {}", name, result.message());
            }
        }
    }
}
