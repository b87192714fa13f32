package org.openwebapps.marketplace.web.internal;

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
 * The store's pages at {@code /store/}: one page whose script talks to the Marketplace API
 * ({@code /marketplace/api/v1}) with the Marketplace's tokens, and its {@code config.json}. (Rooted
 * at {@code /}: below a root {@code /store}, Jersey would match {@code /store/} as an empty file.)
 */
@Component(service = StoreResource.class, configurationPid = StoreResource.PID)
@Designate(ocd = StoreConfiguration.class)
@JakartarsResource
@JakartarsName("marketplace-web")
@Path("/")
public final class StoreResource {

    static final String PID = "org.openwebapps.marketplace.web";

    private final StaticPages pages;
    private volatile StoreConfiguration config;

    @Activate
    public StoreResource(StoreConfiguration config) {
        pages = new StaticPages(StoreResource.class, "/org/openwebapps/marketplace/web/pages/", Map.of(
                "index.html", "text/html;charset=utf-8", "store.js", "text/javascript;charset=utf-8",
                "store.css", "text/css;charset=utf-8"), StaticPages.pagePolicy(null));
        modified(config);
    }

    @Modified
    void modified(StoreConfiguration config) {
        if (!config.signin().equals("browserid") && !config.signin().equals("dev")) {
            throw new IllegalArgumentException("invalid " + PID + " configuration: signin must be browserid or dev");
        }
        pages.policy(StaticPages.pagePolicy(config.signin().equals("browserid") ? config.browserid_include_url() : null));
        this.config = config;
    }

    /** {@code /store} → {@code /store/}; {@code /store/} the page; then its files. */
    @GET
    @Path("store{file: (/[A-Za-z0-9.-]*)?}")
    public Response page(@Context Request request, @Context UriInfo uri, @PathParam("file") String file) {
        if (file.isEmpty()) {
            return Response.status(Response.Status.MOVED_PERMANENTLY).location(uri.getBaseUriBuilder().path("store/").build()).build();
        }
        String name = file.equals("/") ? "index.html" : file.substring(1);
        if (name.equals("config.json")) {
            StoreConfiguration current = config;
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("signin", current.signin());
            body.put("browserid_include", current.signin().equals("browserid") ? current.browserid_include_url() : null);
            return pages.secured(Response.ok(body, MediaType.APPLICATION_JSON_TYPE)).header("Cache-Control", "no-store").build();
        }
        if (!pages.has(name)) {
            return ApiError.response(Response.Status.NOT_FOUND, "no such page of the store");
        }
        return pages.serve(request, name);
    }
}
