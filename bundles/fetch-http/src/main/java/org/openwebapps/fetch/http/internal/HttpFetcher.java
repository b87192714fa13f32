package org.openwebapps.fetch.http.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import javax.net.ssl.SSLSocketFactory;

import org.openwebapps.fetch.FetchException;
import org.openwebapps.fetch.FetchException.Kind;
import org.openwebapps.fetch.FetchRequest;
import org.openwebapps.fetch.FetchResponse;
import org.openwebapps.fetch.OutboundFetcher;
import org.openwebapps.metrics.MeterSlot;
import org.openwebapps.metrics.Meters;
import org.openwebapps.metrics.Timer;
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

/**
 * The server's outbound fetcher. A fetch runs on a worker thread of its own and its callers wait
 * for it with their deadline, so nothing (a slow DNS answer included) holds a caller past it; a
 * watchdog closes the connection at the deadline. Concurrent GETs of one URL share one fetch.
 * Two caps keep hostile targets from tying up the server: fetches in flight and callers waiting.
 */
@Component(service = OutboundFetcher.class, configurationPid = HttpFetcher.PID)
@Designate(ocd = FetchConfiguration.class)
public final class HttpFetcher implements OutboundFetcher {

    static final String PID = "org.openwebapps.fetch";

    private static final Logger LOG = LoggerFactory.getLogger(HttpFetcher.class);

    /** Finds a host's addresses; tests give their own. */
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** One configuration, replaced as a whole. Permits taken from a replaced one go back to it. */
    private record Rules(HostList plainHttp, HostList privateHosts, Semaphore fetches, Semaphore callers,
            int maxCallersPerUrl, long maxDeadlineNanos, int maxBytes) {
    }

    private record Key(URI uri, Map<String, String> headers, int maxBytes, int maxRedirects) {
    }

    /** One fetch in flight and how many callers wait for it. */
    private record Flight(CompletableFuture<FetchResponse> answer, AtomicInteger callers) {
    }

    private static final Pattern NUMERIC_LABEL = Pattern.compile("(?i)0x[0-9a-f]*|[0-9]+");
    private static final Pattern DOTTED_QUAD = Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
            + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    private final Resolver resolver;
    private final SSLSocketFactory tls;
    private final ExecutorService workers;
    private final ScheduledExecutorService watchdog;
    private final Map<Key, Flight> shared = new ConcurrentHashMap<>();
    private final MeterSlot<Timer> fetchTimes = new MeterSlot<>(meters -> meters.timer("owa_fetch_seconds",
            "Outbound fetches (of URLs clients named) by outcome: ok, refused, failed, too_large, busy", "outcome"));
    private volatile Rules rules;

    @Activate
    public HttpFetcher(FetchConfiguration config) {
        this(config, InetAddress::getAllByName, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    HttpFetcher(FetchConfiguration config, Resolver resolver, SSLSocketFactory tls) {
        this.resolver = resolver;
        this.tls = tls;
        this.workers = Executors.newCachedThreadPool(threads("owa-fetch-"));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(threads("owa-fetch-watchdog-"));
        modified(config);
    }

    @Modified
    void modified(FetchConfiguration config) {
        if (config.max_in_flight() < 1 || config.max_waiting() < config.max_in_flight() || config.max_waiting_per_url() < 1
                || config.max_deadline_ms() < 100 || config.max_bytes() < 1) {
            throw new IllegalArgumentException(PID + ": max.in.flight must be >= 1, max.waiting >= max.in.flight,"
                    + " max.waiting.per.url >= 1, max.deadline.ms >= 100, max.bytes >= 1");
        }
        HostList plainHttp = new HostList(config.allow_http_hosts());
        HostList privateHosts = new HostList(config.allow_private_hosts());
        rules = new Rules(plainHttp, privateHosts, new Semaphore(config.max_in_flight()),
                new Semaphore(config.max_waiting()), config.max_waiting_per_url(),
                TimeUnit.MILLISECONDS.toNanos(config.max_deadline_ms()),
                config.max_bytes());
        if (!plainHttp.isEmpty() || !privateHosts.isEmpty()) {
            LOG.warn("Outbound fetches: plain HTTP allowed to {}, non-public addresses allowed for {}: development only",
                    plainHttp, privateHosts);
        }
    }

    @Deactivate
    void deactivate() {
        workers.shutdownNow();
        watchdog.shutdownNow();
    }

    @Override
    public boolean allowsPlainHttp(String host, int port) {
        return rules.plainHttp().matches(host, port);
    }

    @Override
    public FetchResponse fetch(FetchRequest request) throws FetchException {
        long start = System.nanoTime();
        String outcome = "failed";
        try {
            FetchResponse response = fetchWithinRules(request);
            outcome = "ok";
            return response;
        } catch (FetchException e) {
            outcome = e.kind().name().toLowerCase(Locale.ROOT);
            throw e;
        } finally {
            Timer timer = fetchTimes.get();
            if (timer != null) {
                timer.record(System.nanoTime() - start, outcome);
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindMeters(Meters meters) {
        fetchTimes.bind(meters);
    }

    void unbindMeters(Meters meters) {
        fetchTimes.unbind(meters);
    }

    private FetchResponse fetchWithinRules(FetchRequest request) throws FetchException {
        Rules current = rules;
        long deadline = System.nanoTime() + Math.min(request.deadline().toNanos(), current.maxDeadlineNanos());
        FetchRequest bounded = request.maxBytes() > current.maxBytes() ? request.withMaxBytes(current.maxBytes()) : request;
        checkUrl(bounded.uri(), current);
        HttpExchange.checkHeaders(bounded);
        if (!current.callers().tryAcquire()) {
            throw busy("callers waiting");
        }
        Flight flight = null;
        try {
            flight = start(bounded, deadline, current);
            return await(flight.answer(), deadline);
        } catch (FetchException e) {
            LOG.debug("Fetch of {} failed: {}", bounded.uri().getHost(), e.detail());
            throw e;
        } finally {
            if (flight != null) {
                flight.callers().decrementAndGet();
            }
            current.callers().release();
        }
    }

    /**
     * @return the fetch of this request already in flight, or a new one
     * @throws FetchException busy: too many callers wait for this URL already (one hostile URL
     *         must not take every waiting place)
     */
    private Flight start(FetchRequest request, long deadline, Rules current) throws FetchException {
        Flight flight = new Flight(new CompletableFuture<>(), new AtomicInteger(1));
        CompletableFuture<FetchResponse> mine = flight.answer();
        Key key = request.method().equals("GET")
                ? new Key(request.uri(), request.headers(), request.maxBytes(), request.maxRedirects()) : null;
        if (key != null) {
            Flight running = shared.putIfAbsent(key, flight);
            if (running != null) {
                if (running.callers().incrementAndGet() > current.maxCallersPerUrl()) {
                    running.callers().decrementAndGet();
                    throw busy("callers waiting for one URL");
                }
                return running;
            }
        }
        if (!current.fetches().tryAcquire()) {
            finish(key, flight);
            mine.completeExceptionally(busy("fetches in flight"));
            return flight;
        }
        try {
            workers.execute(() -> {
                FetchResponse response = null;
                FetchException failure = null;
                try {
                    response = follow(request, deadline, current);
                } catch (FetchException e) {
                    failure = e;
                } catch (RuntimeException e) {
                    failure = new FetchException(Kind.FAILED, "unexpected: " + e);
                } finally {
                    // before the callers wake up: a fetch they start next is a new one, and not busy
                    finish(key, flight);
                    current.fetches().release();
                }
                if (failure == null) {
                    mine.complete(response);
                } else {
                    mine.completeExceptionally(failure);
                }
            });
        } catch (RejectedExecutionException e) { // deactivated
            current.fetches().release();
            finish(key, flight);
            mine.completeExceptionally(busy("stopped"));
        }
        return flight;
    }

    /** @return the callers sharing the fetch of this GET now in flight, 0 when none (tests wait on it) */
    int sharing(FetchRequest request) {
        Flight flight = shared.get(new Key(request.uri(), request.headers(), request.maxBytes(), request.maxRedirects()));
        return flight == null ? 0 : flight.callers().get();
    }

    private void finish(Key key, Flight fetch) {
        if (key != null) {
            shared.remove(key, fetch);
        }
    }

    private static FetchResponse await(CompletableFuture<FetchResponse> fetch, long deadline) throws FetchException {
        try {
            return fetch.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof FetchException failure) {
                throw failure;
            }
            throw new FetchException(Kind.FAILED, "unexpected: " + e.getCause());
        } catch (TimeoutException e) {
            throw new FetchException(Kind.FAILED, "deadline passed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException(Kind.FAILED, "interrupted");
        }
    }

    /** The request, and the redirects it allows, each target checked like the first. */
    private FetchResponse follow(FetchRequest request, long deadline, Rules current) throws FetchException {
        URI uri = request.uri();
        for (int hop = 0;; hop++) {
            FetchResponse response = once(uri, request, deadline, current);
            int status = response.status();
            boolean redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
            if (!redirect || hop >= request.maxRedirects() || response.header("Location").isEmpty()) {
                return response;
            }
            try {
                uri = uri.resolve(response.header("Location").get());
            } catch (IllegalArgumentException e) {
                throw new FetchException(Kind.FAILED, "bad Location");
            }
            checkUrl(uri, current);
        }
    }

    private FetchResponse once(URI uri, FetchRequest request, long deadline, Rules current) throws FetchException {
        String host = uri.getHost();
        int port = port(uri);
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw new FetchException(Kind.FAILED, "unknown host " + host);
        }
        if (!current.privateHosts().matches(host, port)) {
            for (InetAddress address : addresses) {
                String why = AddressRules.whyNotPublic(address);
                if (why != null) { // any non-public address: the name is not one to trust
                    throw new FetchException(Kind.REFUSED, host + " resolves to " + address.getHostAddress() + ": " + why);
                }
            }
        }
        List<String> failures = new ArrayList<>();
        for (InetAddress address : addresses) {
            Socket socket = new Socket();
            ScheduledFuture<?> alarm = watchdog.schedule(() -> closeQuietly(socket),
                    Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            try {
                return new HttpExchange(socket, deadline).run(uri, new InetSocketAddress(address, port),
                        uri.getScheme().equals("https") ? tls : null, request);
            } catch (IOException e) {
                failures.add(address.getHostAddress() + ": " + e);
                if (System.nanoTime() - deadline >= 0) {
                    throw new FetchException(Kind.FAILED, "deadline passed: " + failures);
                }
            } finally {
                alarm.cancel(false);
                closeQuietly(socket);
            }
        }
        throw new FetchException(Kind.FAILED, "no address answered: " + failures);
    }

    /** Scheme, host and port; fails before any permit is taken. */
    private static void checkUrl(URI uri, Rules current) throws FetchException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawUserInfo() != null
                || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new FetchException(Kind.REFUSED, "not an absolute http(s) URL with a host and no user info");
        }
        if (!scheme.equals(uri.getScheme())) {
            throw new FetchException(Kind.REFUSED, "scheme must be lower case");
        }
        int port = port(uri);
        if (port < 1 || port > 65535) {
            throw new FetchException(Kind.REFUSED, "bad port");
        }
        String host = uri.getHost();
        String last = host.substring(host.lastIndexOf('.', host.length() - 2) + 1).replaceAll("\\.$", "");
        if (NUMERIC_LABEL.matcher(last).matches() && !DOTTED_QUAD.matcher(host).matches()) {
            // 127.1, 2130706433, 0x7f000001, 0177.0.0.1: resolvers disagree on what these mean
            throw new FetchException(Kind.REFUSED, "ambiguous IPv4 spelling " + host);
        }
        if (scheme.equals("http") && !current.plainHttp().matches(uri.getHost(), port)) {
            throw new FetchException(Kind.REFUSED, "plain HTTP to " + uri.getHost() + " is not allowed");
        }
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    private static FetchException busy(String what) {
        return new FetchException(Kind.BUSY, "too many " + what);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing on the deadline or after the answer: nothing to do
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
