package org.openwebapps.http.rest.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.openwebapps.metrics.Meters;
import org.openwebapps.rest.ApiError;
import org.openwebapps.rest.JakartarsExtension;
import org.openwebapps.rest.JakartarsName;
import org.openwebapps.rest.JakartarsResource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;

/**
 * The REST runtime: one servlet on the OSGi servlet whiteboard that serves every service marked
 * {@code osgi.jakartars.resource=true} or {@code osgi.jakartars.extension=true}.
 *
 * <p>Each time such services come or go, a new Jersey container is built off the request path
 * and swapped in atomically; the previous one keeps serving the requests already inside it and
 * is destroyed once they are done ({@link GenerationSwitch}).
 */
@Component(service = Servlet.class, configurationPid = RestWhiteboard.PID, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=openwebapps-rest",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ASYNC_SUPPORTED + "=true" })
@Designate(ocd = RestRuntimeConfiguration.class)
public final class RestWhiteboard extends HttpServlet {

    static final String PID = "org.openwebapps.http.rest";

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RestWhiteboard.class);
    private static final String FILTER = "(|(" + JakartarsResource.RESOURCE_PROPERTY + "=true)("
            + JakartarsExtension.EXTENSION_PROPERTY + "=true))";

    private final transient GenerationSwitch<ServletContainer> containers =
            new GenerationSwitch<>(RestWhiteboard::destroyContainer);
    private final transient ObjectMapper mapper = JaxrsApplication.objectMapper();
    private final transient AtomicBoolean rebuildQueued = new AtomicBoolean();
    private final transient ScheduledExecutorService worker;
    private final transient ServiceTracker<Object, Object> services;
    /** Tracked resources and extensions. */
    private final transient Map<ServiceReference<Object>, Object> served = new ConcurrentHashMap<>();
    private final transient RequestMetrics requestMetrics = new RequestMetrics();

    private volatile long maxBodyBytes;
    private volatile long bodyTimeoutMillis;
    private volatile ForwardedRequest.TrustedProxies trustedProxies;
    private volatile int drainTimeoutSeconds;
    /** Set once the HTTP service has called {@link #init()}: Jersey needs the ServletConfig. */
    private volatile boolean initialized;

    @Activate
    public RestWhiteboard(BundleContext context, RestRuntimeConfiguration config) throws InvalidSyntaxException {
        applyConfiguration(config);
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "openwebapps-rest-rebuild");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.worker = executor;
        Filter filter = context.createFilter(FILTER);
        this.services = new ServiceTracker<>(context, filter, null) {
            // The tracker records a service only after addingService returns, so the rebuild
            // reads this map, which is updated before the rebuild is requested.
            @Override
            public Object addingService(ServiceReference<Object> reference) {
                Object service = super.addingService(reference);
                if (service != null) {
                    served.put(reference, service);
                    LOG.info("REST {} added", describe(reference));
                    requestRebuild();
                }
                return service;
            }

            @Override
            public void modifiedService(ServiceReference<Object> reference, Object service) {
                requestRebuild();
            }

            @Override
            public void removedService(ServiceReference<Object> reference, Object service) {
                served.remove(reference);
                LOG.info("REST {} removed", describe(reference));
                requestRebuild();
                super.removedService(reference, service);
            }
        };
        services.open();
    }

    /** Optional: without the metrics feature requests are served the same, untimed. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindMeters(Meters meters) {
        requestMetrics.timer.bind(meters);
    }

    void unbindMeters(Meters meters) {
        requestMetrics.timer.unbind(meters);
    }

    @Modified
    void modified(RestRuntimeConfiguration config) {
        applyConfiguration(config);
        requestRebuild();
    }

    @Deactivate
    void deactivate() {
        services.close();
        worker.shutdownNow();
        containers.swap(null);
    }

    @Override
    public void init() throws ServletException {
        initialized = true;
        rebuild(); // the first generation is in place before the first request is let through
    }

    @Override
    public void destroy() {
        initialized = false;
        containers.swap(null);
    }

    /**
     * Behind a trusted proxy the request carries the client's scheme and host ({@link ForwardedRequest});
     * a request body is read without a thread first ({@link BufferedBody}); then Jersey serves it.
     */
    @Override
    protected void service(HttpServletRequest direct, HttpServletResponse response)
            throws ServletException, IOException {
        HttpServletRequest request = ForwardedRequest.of(direct, trustedProxies);
        if (BufferedBody.present(request)) {
            BufferedBody.read(request, response, maxBodyBytes, bodyTimeoutMillis, this::writeError, this::serveBuffered);
        } else {
            serveBuffered(request, response);
        }
    }

    private void serveBuffered(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        GenerationSwitch.Generation<ServletContainer> generation = containers.acquire();
        if (generation == null) {
            writeUnavailable(response);
            return;
        }
        try {
            generation.value().service(request, response);
        } finally {
            generation.release();
        }
    }

    private void applyConfiguration(RestRuntimeConfiguration config) {
        if (config.max_body_bytes() < 1) {
            throw new IllegalArgumentException("max.body.bytes must be at least 1, got " + config.max_body_bytes());
        }
        if (config.drain_timeout_seconds() < 1) {
            throw new IllegalArgumentException(
                    "drain.timeout.seconds must be at least 1, got " + config.drain_timeout_seconds());
        }
        if (config.body_timeout_ms() < 100) {
            throw new IllegalArgumentException("body.timeout.ms must be at least 100, got " + config.body_timeout_ms());
        }
        trustedProxies = new ForwardedRequest.TrustedProxies(config.trusted_proxies());
        maxBodyBytes = config.max_body_bytes();
        bodyTimeoutMillis = config.body_timeout_ms();
        drainTimeoutSeconds = config.drain_timeout_seconds();
    }

    /** Coalesces bursts of service events (a feature install) into one rebuild. */
    private void requestRebuild() {
        if (initialized && rebuildQueued.compareAndSet(false, true)) {
            try {
                worker.execute(() -> {
                    rebuildQueued.set(false);
                    rebuild();
                });
            } catch (RuntimeException rejected) {
                rebuildQueued.set(false); // shutting down
            }
        }
    }

    private synchronized void rebuild() {
        if (!initialized) {
            return;
        }
        // highest service.ranking first (ServiceReference's natural order), so it wins when two
        // services claim the same path
        Map<ServiceReference<Object>, Object> snapshot = new TreeMap<>(Comparator.reverseOrder());
        snapshot.putAll(served);
        List<Object> instances = new ArrayList<>(snapshot.values());
        long started = System.nanoTime();
        ServletContainer container;
        try {
            container = startContainer(JaxrsApplication.create(maxBodyBytes, mapper, requestMetrics, instances));
        } catch (RuntimeException | ServletException e) {
            LOG.error("REST runtime could not start Jersey with {}; the previous resources stay in service",
                    describeAll(snapshot.keySet()), e);
            return;
        }
        GenerationSwitch.Generation<ServletContainer> retired = containers.swap(container);
        LOG.debug("REST runtime serves {} services (built in {} ms)", instances.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        if (retired != null && !retired.isDestroyed()) {
            scheduleForcedDestroy(retired);
        }
    }

    private void scheduleForcedDestroy(GenerationSwitch.Generation<ServletContainer> retired) {
        try {
            worker.schedule(() -> {
                if (!retired.isDestroyed()) {
                    LOG.warn("REST runtime: {} requests still running after {} s on a replaced container; destroying it",
                            retired.users(), drainTimeoutSeconds);
                    retired.forceDestroy();
                }
            }, drainTimeoutSeconds, TimeUnit.SECONDS);
        } catch (RuntimeException rejected) {
            // shutting down: the last request out destroys it
        }
    }

    private ServletContainer startContainer(ResourceConfig config) throws ServletException {
        ServletContainer container = new ServletContainer(config);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Jersey finds its RuntimeDelegate and HK2 through the context class loader.
        thread.setContextClassLoader(ResourceConfig.class.getClassLoader());
        try {
            container.init(getServletConfig());
        } finally {
            thread.setContextClassLoader(previous);
        }
        return container;
    }

    private static void destroyContainer(ServletContainer container) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(ResourceConfig.class.getClassLoader());
        try {
            container.destroy();
        } catch (RuntimeException e) {
            LOG.warn("REST runtime: destroying a replaced Jersey container failed", e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private void writeError(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        mapper.writeValue(response.getOutputStream(), ApiError.of(Response.Status.fromStatusCode(status), message));
    }

    private void writeUnavailable(HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader("Retry-After", "1");
        response.setContentType("application/json");
        mapper.writeValue(response.getOutputStream(),
                ApiError.of(Response.Status.SERVICE_UNAVAILABLE, "REST runtime is not started"));
    }

    private static String describeAll(Iterable<ServiceReference<Object>> references) {
        List<String> names = new ArrayList<>();
        references.forEach(reference -> names.add(describe(reference)));
        return names.toString();
    }

    /** Names a service for operators: its whiteboard name or class, and its bundle. */
    static String describe(ServiceReference<?> reference) {
        Object name = reference.getProperty(JakartarsName.NAME_PROPERTY);
        if (name == null) {
            Object classes = reference.getProperty(Constants.OBJECTCLASS);
            name = classes instanceof String[] array && array.length > 0 ? array[0] : "service";
        }
        var bundle = reference.getBundle();
        String owner = bundle == null ? "unregistered"
                : bundle.getSymbolicName() + ":" + bundle.getVersion();
        return name + " (service " + reference.getProperty(Constants.SERVICE_ID) + ", " + owner + ")";
    }
}
