package org.openwebapps.dashboard.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.openwebapps.rest.ApiError;
import org.openwebapps.rest.JakartarsName;
import org.openwebapps.rest.JakartarsResource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The Dashboard's files at {@code /dashboard/} (contract: spec/marketplace.md section 8), its
 * {@code config.json}, and the landing page at {@code /}. The files are read once from the bundle;
 * every page carries a Content-Security-Policy without inline scripts. (Headers are plain strings:
 * JAX-RS value types such as {@code CacheControl} and {@code EntityTag} need Jersey's RuntimeDelegate,
 * which is not reachable while DS activates this component: they are made per request.)
 */
@Component(service = DashboardResource.class, configurationPid = DashboardResource.PID)
@Designate(ocd = DashboardConfiguration.class)
@JakartarsResource
@JakartarsName("dashboard")
@Path("/")
public final class DashboardResource {

    static final String PID = "org.openwebapps.dashboard";

    /** A file as served: its bytes, type and entity tag. */
    private record File(byte[] bytes, MediaType type, String etag) {
    }

    private final Map<String, File> files = new LinkedHashMap<>();
    private volatile DashboardConfiguration config;
    private volatile String pagePolicy;

    @Activate
    public DashboardResource(DashboardConfiguration config) {
        MediaType html = MediaType.TEXT_HTML_TYPE.withCharset("utf-8");
        load("index.html", html);
        load("landing.html", html);
        load("dashboard.js", new MediaType("text", "javascript", "utf-8"));
        load("dashboard.css", new MediaType("text", "css", "utf-8"));
        load("app.svg", new MediaType("image", "svg+xml"));
        modified(config);
    }

    @Modified
    void modified(DashboardConfiguration config) {
        if (!config.signin().equals("browserid") && !config.signin().equals("dev")) {
            throw new IllegalArgumentException("invalid " + PID + " configuration: signin must be browserid or dev");
        }
        if (config.poll_seconds() < 1) {
            throw new IllegalArgumentException("invalid " + PID + " configuration: poll.seconds must be at least 1");
        }
        String include = config.signin().equals("browserid") ? origin(config.browserid_include_url()) : "";
        this.pagePolicy = "default-src 'none'; script-src 'self'" + include + "; style-src 'self'; img-src * data:;"
                + " connect-src 'self' https:; frame-src" + (include.isEmpty() ? " 'none'" : include)
                + "; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
        this.config = config;
    }

    /** The landing page: where to go on this server. */
    @GET
    public Response landing(@Context Request request) {
        return serve(request, "landing.html");
    }

    /** {@code /dashboard} → {@code /dashboard/}; {@code /dashboard/} the page; then its files. */
    @GET
    @Path("dashboard{file: (/[A-Za-z0-9.-]*)?}")
    public Response dashboard(@Context Request request, @Context UriInfo uri, @PathParam("file") String file) {
        if (file.isEmpty()) {
            return Response.status(Response.Status.MOVED_PERMANENTLY).location(uri.getBaseUriBuilder().path("dashboard/").build())
                    .build();
        }
        String name = file.substring(1);
        if (name.equals("config.json")) {
            DashboardConfiguration current = config;
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("signin", current.signin());
            body.put("browserid_include", current.signin().equals("browserid") ? current.browserid_include_url() : null);
            body.put("poll_seconds", current.poll_seconds());
            return secured(Response.ok(body, MediaType.APPLICATION_JSON_TYPE)).header("Cache-Control", "no-store").build();
        }
        if (name.equals("landing.html") || !files.containsKey(name.isEmpty() ? "index.html" : name)) {
            return ApiError.response(Response.Status.NOT_FOUND, "no such file of the Dashboard");
        }
        return serve(request, name.isEmpty() ? "index.html" : name);
    }

    private Response serve(Request request, String name) {
        File served = files.get(name);
        EntityTag etag = new EntityTag(served.etag());
        Response.ResponseBuilder unchanged = request.evaluatePreconditions(etag);
        Response.ResponseBuilder response = unchanged != null ? unchanged : Response.ok(served.bytes(), served.type());
        return secured(response).tag(etag).header("Cache-Control", "no-cache").build();
    }

    private Response.ResponseBuilder secured(Response.ResponseBuilder response) {
        return response.header("Content-Security-Policy", pagePolicy).header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer").header("X-Frame-Options", "DENY");
    }

    private void load(String name, MediaType type) {
        try (InputStream in = DashboardResource.class.getResourceAsStream("/org/openwebapps/dashboard/web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the bundle lacks its file " + name);
            }
            byte[] bytes = in.readAllBytes();
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
            files.put(name, new File(bytes, type, HexFormat.of().formatHex(hash, 0, 12)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** @return " scheme://host[:port]" of a URL, for the policy */
    private static String origin(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("invalid " + PID + " configuration: browserid.include.url must be an absolute URL");
            }
            return " " + uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid " + PID + " configuration: browserid.include.url is not a URL", e);
        }
    }
}
