package org.openwebapps.storage.router.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.openwebapps.rest.ApiError;
import org.openwebapps.rest.JakartarsName;
import org.openwebapps.rest.JakartarsResource;
import org.openwebapps.storage.StorageException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/**
 * The admin HTTP API of the storage router, under {@code /admin/storage}: the status, the roles,
 * the consistency check and an immediate replay. Off until {@code .admin.token} is configured;
 * then every call needs {@code Authorization: Bearer <token>} and, unless {@code admin.remote},
 * must come from loopback.
 */
@Component(service = StorageAdminResource.class, configurationPid = StorageRouter.PID)
@JakartarsResource
@JakartarsName("storage-admin")
@Path("/admin/storage")
@Produces(MediaType.APPLICATION_JSON)
public final class StorageAdminResource {

    private final RouterAdmin admin;
    private volatile byte[] token;
    private volatile boolean remote;

    @Activate
    public StorageAdminResource(@Reference RouterAdmin admin, RouterConfiguration config) {
        this.admin = admin;
        configure(config);
    }

    @Modified
    void configure(RouterConfiguration config) {
        token = config._admin_token().isEmpty() ? null : config._admin_token().getBytes(StandardCharsets.UTF_8);
        remote = config.admin_remote();
    }

    @GET
    public Response status(@Context HttpServletRequest request, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Response refused = refusal(request, authorization);
        return refused != null ? refused : Response.ok(statusBody()).build();
    }

    /** Body {@code {"primary": "...", "mirror": "..." or null}}. */
    @PUT
    @Path("roles")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response roles(@Context HttpServletRequest request, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            Map<String, Object> body) {
        Response refused = refusal(request, authorization);
        if (refused != null) {
            return refused;
        }
        if (body == null || !(body.get("primary") instanceof String primary)
                || (body.get("mirror") != null && !(body.get("mirror") instanceof String))) {
            return ApiError.response(Response.Status.BAD_REQUEST, "expected {\"primary\": name, \"mirror\": name or null}");
        }
        try {
            admin.setRoles(primary, (String) body.get("mirror"));
        } catch (IllegalArgumentException e) {
            return ApiError.response(Response.Status.BAD_REQUEST, e.getMessage());
        } catch (IOException e) {
            return ApiError.response(Response.Status.SERVICE_UNAVAILABLE, "the configuration could not be saved");
        }
        return Response.ok(Map.of("status", "roles updated", "primary", primary,
                "mirror", body.get("mirror") == null ? "none" : body.get("mirror"))).build();
    }

    @POST
    @Path("check")
    public Response check(@Context HttpServletRequest request, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("repair") boolean repair) {
        Response refused = refusal(request, authorization);
        if (refused != null) {
            return refused;
        }
        try {
            return Response.ok(admin.check(repair)).build();
        } catch (IllegalStateException e) {
            return ApiError.response(Response.Status.CONFLICT, e.getMessage());
        } catch (StorageException e) {
            return ApiError.response(Response.Status.SERVICE_UNAVAILABLE, "a backend failed during the check: " + e.getMessage());
        }
    }

    @POST
    @Path("replay")
    public Response replay(@Context HttpServletRequest request, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Response refused = refusal(request, authorization);
        if (refused != null) {
            return refused;
        }
        admin.replayNow();
        return Response.ok(statusBody()).build();
    }

    private Map<String, Object> statusBody() {
        List<BackendStatus> backends = admin.status();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("backends", backends);
        return body;
    }

    private Response refusal(HttpServletRequest request, String authorization) {
        byte[] expected = token;
        if (expected == null) {
            return ApiError.response(Response.Status.FORBIDDEN,
                    "the storage admin API is off: set .admin.token in org.openwebapps.storage.router");
        }
        if (!remote && !fromLoopback(request)) {
            return ApiError.response(Response.Status.FORBIDDEN, "the storage admin API answers loopback only (admin.remote)");
        }
        byte[] presented = authorization != null && authorization.startsWith("Bearer ")
                ? authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(expected, presented)) {
            return Response.fromResponse(ApiError.response(Response.Status.UNAUTHORIZED, "a valid admin bearer token is required"))
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"storage-admin\"").build();
        }
        return null;
    }

    private static boolean fromLoopback(HttpServletRequest request) {
        if (request == null || request.getRemoteAddr() == null) {
            return false;
        }
        try {
            return InetAddress.getByName(request.getRemoteAddr()).isLoopbackAddress(); // an address literal: no lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
