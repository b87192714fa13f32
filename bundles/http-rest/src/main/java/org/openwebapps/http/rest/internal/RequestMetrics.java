package org.openwebapps.http.rest.internal;

import java.util.List;
import java.util.Set;

import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.uri.UriTemplate;
import org.openwebapps.metrics.MeterSlot;
import org.openwebapps.metrics.Timer;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;

/**
 * Times every request in the JAX-RS layer (from before matching until the response filters; the
 * body was read before, the entity is written after) as {@code owa_http_request_seconds} by method,
 * route template and status. Every label is bounded: a route is the matched template, never the
 * URL ("unmatched" for a 404 of no resource), and an unknown method counts as "other".
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100) // first in, so the time covers the other filters
final class RequestMetrics implements ContainerRequestFilter, ContainerResponseFilter {

    static final String NAME = "owa_http_request_seconds";
    private static final String START = RequestMetrics.class.getName() + ".start";
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

    /** Bound and unbound by the REST runtime's optional reference to the metrics service. */
    final MeterSlot<Timer> timer = new MeterSlot<>(meters -> meters.timer(NAME,
            "Requests through the REST runtime by method, route template and status", "method", "route", "status"));

    @Override
    public void filter(ContainerRequestContext request) {
        if (timer.get() != null) {
            request.setProperty(START, System.nanoTime());
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Timer current = timer.get();
        Object start = request.getProperty(START);
        if (current == null || !(start instanceof Long startNanos)) {
            return;
        }
        String method = METHODS.contains(request.getMethod()) ? request.getMethod() : "other";
        current.record(System.nanoTime() - startNanos, method, route(request), Integer.toString(response.getStatus()));
    }

    /** The matched templates, outermost first, e.g. {@code /marketplace/api/v1/apps/{id}}. */
    static String route(ContainerRequestContext request) {
        if (!(request.getUriInfo() instanceof ExtendedUriInfo info)) {
            return "unmatched";
        }
        List<UriTemplate> templates = info.getMatchedTemplates(); // innermost first
        if (templates.isEmpty()) {
            return "unmatched";
        }
        StringBuilder route = new StringBuilder();
        for (int i = templates.size() - 1; i >= 0; i--) { // each part joined by one slash, no regex per request
            String part = templates.get(i).getTemplate();
            int from = part.startsWith("/") ? 1 : 0;
            int to = part.endsWith("/") && part.length() > from ? part.length() - 1 : part.length();
            if (to > from) {
                route.append('/').append(part, from, to);
            }
        }
        return route.length() == 0 ? "/" : route.toString();
    }
}
