package org.openwebapps.marketplace.catalog.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.openwebapps.rest.JakartarsName;
import org.openwebapps.rest.JakartarsResource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The Marketplace's HTTP API, {@value #API} (contract: spec/marketplace.md sections 1–4): parses
 * requests, asks {@link Marketplace}, answers JSON. Errors are {@code {"status","error","message"}}.
 * Request data come as parameters: this singleton outlives Jersey generations.
 */
@Component(service = MarketplaceResource.class)
@JakartarsResource
@JakartarsName("marketplace")
@Path(MarketplaceResource.API)
public final class MarketplaceResource {

    static final String API = "/marketplace/api/v1";
    /** Largest request body: every request of this API is a few fields. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    /** What one request does once parsed; may refuse. */
    @FunctionalInterface
    private interface Action {
        Response run() throws MarketplaceException;
    }

    private final Marketplace marketplace;

    @Activate
    public MarketplaceResource(@Reference Marketplace marketplace) {
        this.marketplace = marketplace;
    }

    // --- account --------------------------------------------------------------------------------------

    @POST
    @Path("account/login")
    public Response login(@Context UriInfo uri, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type, byte[] body) {
        return answer(() -> {
            JsonNode fields = object(body, type);
            Map<String, Object> login = marketplace.signIn(text(fields, "type"), text(fields, "assertion"),
                    text(fields, "audience"), site(uri));
            return json(201, login);
        });
    }

    @GET
    @Path("account/settings/mine")
    public Response settings(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return answer(() -> {
            Marketplace.User user = marketplace.user(authorization, site(uri));
            return json(200, Map.of("email", user.email(), "permissions", user.permissions()));
        });
    }

    @GET
    @Path("account/installed/mine")
    public Response installed(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return answer(() -> {
            Marketplace.User user = marketplace.user(authorization, site(uri));
            List<Map<String, Object>> installs = marketplace.installed(user);
            return json(200, page(installs));
        });
    }

    // --- apps -------------------------------------------------------------------------------------------

    @POST
    @Path("apps/validate")
    public Response validate(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String type, byte[] body) {
        return answer(() -> {
            Marketplace.User user = marketplace.user(authorization, site(uri));
            String manifest = text(object(body, type), "manifest");
            return json(200, marketplace.validate(user, manifest, site(uri)).toJson());
        });
    }

    @POST
    @Path("apps")
    public Response submit(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String type, byte[] body) {
        return answer(() -> {
            Marketplace.User user = marketplace.user(authorization, site(uri));
            String manifest = text(object(body, type), "manifest");
            return json(201, marketplace.json(marketplace.submit(user, manifest, site(uri))));
        });
    }

    @GET
    @Path("apps")
    public Response search(@QueryParam("q") String q, @QueryParam("category") String category,
            @QueryParam("premium_type") String premiumType, @QueryParam("sort") String sort,
            @QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        return answer(() -> {
            Marketplace.Settings settings = marketplace.settings();
            CatalogQuery query = CatalogQuery.parse(q, category, premiumType, sort, limit, offset, settings.categories(),
                    settings.pageMax());
            CatalogQuery.Page page = marketplace.search(query);
            return json(200, list(query.meta(API + "/apps", page.total()), page.apps()));
        });
    }

    @GET
    @Path("apps/mine")
    public Response mine(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return answer(() -> {
            Marketplace.User user = marketplace.user(authorization, site(uri));
            List<App> mine = marketplace.mine(user);
            return json(200, list(wholeList(mine.size()), mine));
        });
    }

    @GET
    @Path("apps/{app}")
    public Response app(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("app") String app) {
        return answer(() -> {
            Marketplace.User user = marketplace.optionalUser(authorization, site(uri));
            return json(200, marketplace.jsonBytes(marketplace.visibleApp(user, app)));
        });
    }

    @PATCH
    @Path("apps/{app}")
    public Response patch(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("app") String app, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type, byte[] body) {
        return answer(() -> {
            Marketplace.User user = marketplace.user(authorization, site(uri));
            return json(200, marketplace.json(marketplace.patch(user, app, object(body, type))));
        });
    }

    @POST
    @Path("apps/{app}/submit")
    public Response submitForReview(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("app") String app) {
        return answer(() -> {
            Marketplace.User user = marketplace.user(authorization, site(uri));
            return json(200, marketplace.json(marketplace.submitForReview(user, app)));
        });
    }

    @POST
    @Path("apps/{app}/review")
    public Response review(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("app") String app, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type, byte[] body) {
        return answer(() -> {
            Marketplace.User user = marketplace.user(authorization, site(uri));
            String action = text(object(body, type), "action");
            return json(200, marketplace.json(marketplace.review(user, app, action)));
        });
    }

    @POST
    @Path("apps/{app}/refresh")
    public Response refresh(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("app") String app) {
        return answer(() -> {
            Marketplace.User user = marketplace.user(authorization, site(uri));
            return json(200, marketplace.json(marketplace.refresh(user, app, site(uri))));
        });
    }

    @DELETE
    @Path("apps/{app}")
    public Response delete(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("app") String app) {
        return answer(() -> {
            marketplace.delete(marketplace.user(authorization, site(uri)), app);
            return Response.noContent().build();
        });
    }

    @GET
    @Path("reviewers/queue")
    public Response queue(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return answer(() -> {
            Marketplace.User user = marketplace.user(authorization, site(uri));
            List<App> queue = marketplace.reviewQueue(user);
            return json(200, list(wholeList(queue.size()), queue));
        });
    }

    // --- installs ---------------------------------------------------------------------------------------

    @POST
    @Path("installs")
    public Response install(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String type, byte[] body) {
        return answer(() -> {
            Marketplace.User user = marketplace.user(authorization, site(uri));
            JsonNode app = object(body, type).get("app");
            if (app == null || !(app.isTextual() || app.isIntegralNumber()) || app.asText().isEmpty()) {
                throw MarketplaceException.badRequest("app (an id or slug) is required");
            }
            Map<String, Object> installed = new LinkedHashMap<>(marketplace.install(user, app.asText(), site(uri)));
            boolean created = (Boolean) installed.remove("created");
            return json(created ? 201 : 202, installed);
        });
    }

    @DELETE
    @Path("installs/{app}")
    public Response uninstall(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("app") String app) {
        return answer(() -> {
            marketplace.uninstall(marketplace.user(authorization, site(uri)), app);
            return Response.noContent().build();
        });
    }

    // --- helpers ----------------------------------------------------------------------------------------

    private Response answer(Action action) {
        try {
            return action.run();
        } catch (MarketplaceException e) {
            Response.ResponseBuilder error = Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(e.body());
            if (e.status() == 503) {
                error.header("Retry-After", marketplace.settings().retryAfterSeconds());
            }
            return error.build();
        }
    }

    private static Response json(int status, Object body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    /** A whole list in the catalog's {@code {meta, objects}} shape (these lists are not paged). */
    private static Map<String, Object> page(List<?> objects) {
        return Map.of("meta", wholeList(objects.size()), "objects", objects);
    }

    private static Map<String, Object> wholeList(int size) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("limit", size);
        meta.put("offset", 0);
        meta.put("total_count", size);
        meta.put("next", null);
        meta.put("previous", null);
        return meta;
    }

    /** {@code {meta, objects}} from each app's pre-rendered JSON: a page costs no serialisation of apps. */
    private byte[] list(Map<String, Object> meta, List<App> apps) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256 + apps.size() * 1024);
            out.write("{\"meta\":".getBytes(StandardCharsets.US_ASCII));
            out.write(App.JSON.writeValueAsBytes(meta));
            out.write(",\"objects\":[".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < apps.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(marketplace.jsonBytes(apps.get(i)));
            }
            out.write("]}".getBytes(StandardCharsets.US_ASCII));
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("a page does not serialise", e);
        }
    }

    private String site(UriInfo uri) {
        return marketplace.siteUrl(uri.getBaseUri());
    }

    /** The body as a JSON object, or a form's fields; empty: no fields. */
    static JsonNode object(byte[] body, String contentType) throws MarketplaceException {
        if (body == null || body.length == 0) {
            return App.JSON.createObjectNode();
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new MarketplaceException(413, "payload_too_large", "request bodies are at most " + MAX_BODY_BYTES + " bytes");
        }
        if (contentType != null && contentType.toLowerCase().startsWith(MediaType.APPLICATION_FORM_URLENCODED)) {
            ObjectNode fields = App.JSON.createObjectNode();
            for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    try {
                        fields.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                                URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                    } catch (IllegalArgumentException e) {
                        throw MarketplaceException.badRequest("malformed form body");
                    }
                }
            }
            return fields;
        }
        try {
            JsonNode json = App.JSON.readTree(body);
            if (json == null || !json.isObject()) {
                throw MarketplaceException.badRequest("the body must be a JSON object");
            }
            return json;
        } catch (IOException e) {
            throw MarketplaceException.badRequest("the body is not valid JSON");
        }
    }

    private static String text(JsonNode fields, String name) throws MarketplaceException {
        JsonNode value = fields.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw MarketplaceException.badRequest(name + " must be a string");
        }
        return value.textValue();
    }
}
