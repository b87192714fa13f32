package org.openwebapps.dashboard.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.openwebapps.rest.ApiError;
import org.openwebapps.rest.JakartarsName;
import org.openwebapps.rest.JakartarsResource;
import org.openwebapps.rest.StaticPages;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The Dashboard's files at {@code /dashboard/} (contract: spec/marketplace.md section 8), its
 * {@code config.json}, and the landing page at {@code /}.
 */
@Component(service = DashboardResource.class, configurationPid = DashboardResource.PID)
@Designate(ocd = DashboardConfiguration.class)
@JakartarsResource
@JakartarsName("dashboard")
@Path("/")
public final class DashboardResource {

    static final String PID = "org.openwebapps.dashboard";
    private static final String HTML = "text/html;charset=utf-8";

    private final StaticPages pages;
    private volatile DashboardConfiguration config;

    @Activate
    public DashboardResource(DashboardConfiguration config) {
        pages = new StaticPages(DashboardResource.class, "/org/openwebapps/dashboard/web/", Map.of("index.html", HTML,
                "landing.html", HTML, "dashboard.js", "text/javascript;charset=utf-8", "dashboard.css", "text/css;charset=utf-8",
                "app.svg", "image/svg+xml"), StaticPages.pagePolicy(null));
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
        pages.policy(StaticPages.pagePolicy(config.signin().equals("browserid") ? config.browserid_include_url() : null));
        this.config = config;
    }

    /** The landing page: where to go on this server. */
    @GET
    public Response landing(@Context Request request) {
        return pages.serve(request, "landing.html");
    }

    /** {@code /dashboard} → {@code /dashboard/}; {@code /dashboard/} the page; then its files. */
    @GET
    @Path("dashboard{file: (/[A-Za-z0-9.-]*)?}")
    public Response dashboard(@Context Request request, @Context UriInfo uri, @PathParam("file") String file) {
        if (file.isEmpty()) {
            return Response.status(Response.Status.MOVED_PERMANENTLY).location(uri.getBaseUriBuilder().path("dashboard/").build())
                    .build();
        }
        String name = file.equals("/") ? "index.html" : file.substring(1);
        if (name.equals("config.json")) {
            DashboardConfiguration current = config;
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("signin", current.signin());
            body.put("browserid_include", current.signin().equals("browserid") ? current.browserid_include_url() : null);
            body.put("poll_seconds", current.poll_seconds());
            return pages.secured(Response.ok(body, MediaType.APPLICATION_JSON_TYPE)).header("Cache-Control", "no-store").build();
        }
        if (name.equals("landing.html") || !pages.has(name)) {
            return ApiError.response(Response.Status.NOT_FOUND, "no such file of the Dashboard");
        }
        return pages.serve(request, name);
    }
}
