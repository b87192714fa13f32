package org.openwebapps.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

/**
 * A bundle's web pages (HTML, CSS, scripts, images), read once from its class path and served by
 * a resource with an entity tag ({@code 304} when unchanged), {@code Cache-Control: no-cache} and
 * the headers every page of the server carries: the page's Content-Security-Policy,
 * {@code X-Content-Type-Options: nosniff}, {@code Referrer-Policy: no-referrer} and
 * {@code X-Frame-Options: DENY}. Every instance also serves the shared {@link #SIGN_IN_SCRIPT}.
 *
 * <p>JAX-RS value types ({@code MediaType.valueOf}, {@code EntityTag}) need the runtime's
 * delegate, which a component does not reach while it activates: they are made per request here,
 * so an instance may be built in a constructor.
 */
public final class StaticPages {

    /** A file as served. */
    private record Page(byte[] bytes, String type, String etag) {
    }

    /**
     * The sign-in script every page shares ({@code window.OpenWebAppsSignIn.assertion(config,
     * email)}: an assertion from the development IdP or BrowserID); each {@code StaticPages} serves
     * it under this name beside its own files.
     */
    public static final String SIGN_IN_SCRIPT = "signin.js";

    private final Map<String, Page> pages = new LinkedHashMap<>();

    private volatile String policy;

    /**
     * @param owner  a class of the bundle holding the files
     * @param folder the files' folder on its class path, e.g. {@code /org/example/web/}
     * @param types  each file's name and content type, e.g. {@code "index.html"} →
     *               {@code "text/html;charset=utf-8"}
     * @param policy the Content-Security-Policy of every answer
     * @throws IllegalStateException a file is missing
     */
    public StaticPages(Class<?> owner, String folder, Map<String, String> types, String policy) {
        types.forEach((name, type) -> pages.put(name, load(owner, folder + name, type)));
        pages.put(SIGN_IN_SCRIPT, load(StaticPages.class, "/org/openwebapps/rest/pages/" + SIGN_IN_SCRIPT,
                "text/javascript;charset=utf-8"));
        policy(policy);
    }

    /**
     * The policy of the server's pages: scripts and styles from the server only (no inline ones),
     * images from anywhere (apps' icons), requests to the server and to HTTPS (receipts' verify
     * URLs), never framed.
     *
     * @param signInUrl the script a page loads to sign in (BrowserID's {@code include.js}), whose
     *                  origin may also be framed; or null
     * @throws IllegalArgumentException {@code signInUrl} is not an absolute URL
     */
    public static String pagePolicy(String signInUrl) {
        String origin = "";
        if (signInUrl != null) {
            java.net.URI uri = java.net.URI.create(signInUrl);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("not an absolute URL: " + signInUrl);
            }
            origin = " " + uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        }
        return "default-src 'none'; script-src 'self'" + origin + "; style-src 'self'; img-src * data:;"
                + " connect-src 'self' https:; frame-src" + (origin.isEmpty() ? " 'none'" : origin)
                + "; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    /** Replaces the Content-Security-Policy (a configuration changed). */
    public void policy(String policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** @return whether there is a file of this name */
    public boolean has(String name) {
        return pages.containsKey(name);
    }

    /** @return the file, or {@code 304} when the request already holds it */
    public Response serve(Request request, String name) {
        Page page = pages.get(name);
        if (page == null) {
            return ApiError.response(Response.Status.NOT_FOUND, "no such page");
        }
        EntityTag etag = new EntityTag(page.etag());
        Response.ResponseBuilder unchanged = request.evaluatePreconditions(etag);
        Response.ResponseBuilder response = unchanged != null ? unchanged : Response.ok(page.bytes()).type(page.type());
        return secured(response).tag(etag).header("Cache-Control", "no-cache").build();
    }

    /** Adds the pages' security headers to another answer (a page's JSON configuration). */
    public Response.ResponseBuilder secured(Response.ResponseBuilder response) {
        return response.header("Content-Security-Policy", policy).header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer").header("X-Frame-Options", "DENY");
    }

    private static Page load(Class<?> owner, String path, String type) {
        try (InputStream in = owner.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the bundle of " + owner.getName() + " lacks " + path);
            }
            byte[] bytes = in.readAllBytes();
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
            return new Page(bytes, type, HexFormat.of().formatHex(hash, 0, 12));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
