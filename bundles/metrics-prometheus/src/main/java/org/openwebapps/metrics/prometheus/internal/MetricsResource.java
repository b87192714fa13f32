package org.openwebapps.metrics.prometheus.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.openwebapps.rest.ApiError;
import org.openwebapps.rest.JakartarsResource;
import org.openwebapps.rest.Loopback;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * {@code GET /__metrics__}: every meter in Prometheus' text format (version 0.0.4). Not public: a
 * scraper shows the configured bearer token, or, with none configured, is a direct loopback client.
 */
@Component(service = MetricsResource.class, configurationPid = MetricsResource.PID)
@Designate(ocd = MetricsConfiguration.class)
@JakartarsResource
@Path("/__metrics__")
public final class MetricsResource {

    static final String PID = "org.openwebapps.metrics";
    private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    private final MetricsRegistry registry;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private volatile byte[] token;

    @Activate
    public MetricsResource(@Reference MetricsRegistry registry, MetricsConfiguration config) {
        this.registry = registry;
        modified(config);
    }

    @Modified
    void modified(MetricsConfiguration config) {
        token = config._token().isBlank() ? null : config._token().getBytes(StandardCharsets.UTF_8);
    }

    @GET
    public Response metrics(@Context HttpServletRequest request, @Context HttpHeaders headers) {
        byte[] expected = token;
        if (expected != null) {
            String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
            byte[] given = authorization != null && authorization.startsWith("Bearer ")
                    ? authorization.substring("Bearer ".length()).getBytes(StandardCharsets.UTF_8) : new byte[0];
            if (!MessageDigest.isEqual(expected, given)) {
                return Response.fromResponse(ApiError.response(Response.Status.UNAUTHORIZED, "metrics need the configured bearer token"))
                        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
            }
        } else if (!directLoopback(request, headers)) {
            return ApiError.response(Response.Status.FORBIDDEN,
                    "metrics are served to loopback clients only; set .token in " + PID + " to scrape from elsewhere");
        }
        StreamingOutput body = out -> writer.write(out, registry.scrape());
        return Response.ok(body, TEXT_FORMAT).header("Cache-Control", "no-store").build();
    }

    /** A proxy on the same host forwards others' requests from loopback: those carry its headers. */
    private static boolean directLoopback(HttpServletRequest request, HttpHeaders headers) {
        return headers.getHeaderString("Forwarded") == null && headers.getHeaderString("X-Forwarded-For") == null
                && Loopback.loopback(request.getRemoteAddr()); // an address literal: no lookup
    }
}
