package org.openwebapps.browserid.devidp.internal;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.openwebapps.browserid.Algorithm;
import org.openwebapps.browserid.Certificates;
import org.openwebapps.browserid.SigningKey;
import org.openwebapps.rest.ApiError;
import org.openwebapps.rest.JakartarsName;
import org.openwebapps.rest.JakartarsResource;
import org.openwebapps.rest.Loopback;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.runtime.HttpServiceRuntimeConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BrowserID IdP for development: serves {@code /.well-known/browserid} for its domain
 * (the HTTP server's {@code host:port}, e.g. {@code 127.0.0.1:8080}, unless configured) and, at {@code POST /dev-idp/assertion}, plays IdP
 * and browser at once: it certifies a fresh user key for any address at its domain and returns a
 * backed assertion for the audience asked. Nobody proves anything, so it refuses to start unless
 * the HTTP server listens on loopback only, and answers loopback clients only. Its key lives in
 * memory: a restart invalidates what it minted.
 */
@Component(service = DevIdpResource.class, configurationPid = DevIdpResource.PID)
@Designate(ocd = DevIdpConfiguration.class)
@JakartarsResource
@JakartarsName("browserid-dev-idp")
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class DevIdpResource {

    static final String PID = "org.openwebapps.browserid.devidp";
    /** What BrowserID allows at most. */
    private static final long CERTIFICATE_MILLIS = 24 * 3_600_000L;
    private static final long ASSERTION_MILLIS = 2 * 60_000L;

    private static final Logger LOG = LoggerFactory.getLogger(DevIdpResource.class);

    private final String domain;
    private final SigningKey key;

    @Activate
    public DevIdpResource(DevIdpConfiguration config,
            @Reference(service = HttpServiceRuntime.class) Map<String, Object> runtime) {
        List<URI> endpoints = Loopback.endpoints(runtime.get(HttpServiceRuntimeConstants.HTTP_SERVICE_ENDPOINT));
        if (!Loopback.only(endpoints)) {
            throw new IllegalStateException("the development IdP refuses to start: the HTTP server listens on "
                    + endpoints + ", not on loopback only (set OWA_HTTP_HOST=127.0.0.1)");
        }
        Algorithm algorithm = Algorithm.forHeader(config.algorithm().trim().toUpperCase(Locale.ROOT))
                .filter(a -> a != Algorithm.RS64)
                .orElseThrow(() -> new IllegalArgumentException("algorithm must be RS256, RS128, DS128 or DS256"));
        // the address the server listens on: "localhost" may resolve to ::1 where nobody listens
        this.domain = config.domain().isBlank() ? endpoints.get(0).getHost() + ":" + endpoints.get(0).getPort()
                : config.domain().trim().toLowerCase(Locale.ROOT);
        this.key = SigningKey.generate(algorithm);
        LOG.warn("BrowserID development IdP active for @{}: it certifies any address there without a password", domain);
    }

    @GET
    @Path(".well-known/browserid")
    public Response supportDocument(@Context HttpServletRequest request) {
        if (!fromLoopback(request)) {
            return forbidden();
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("public-key", key.publicKeyJson());
        document.put("authentication", "/dev-idp/");
        document.put("provisioning", "/dev-idp/");
        return Response.ok(document).build();
    }

    /** {@code {"email": "alice@127.0.0.1:8080", "audience": "http://127.0.0.1:8080"}} → {@code {"assertion": ...}} */
    @POST
    @Path("dev-idp/assertion")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response assertion(@Context HttpServletRequest request, Map<String, Object> body) {
        if (!fromLoopback(request)) {
            return forbidden();
        }
        Object email = body == null ? null : body.get("email");
        Object audience = body == null ? null : body.get("audience");
        if (!(email instanceof String address) || !address.toLowerCase(Locale.ROOT).endsWith("@" + domain)
                || address.indexOf('@') != address.lastIndexOf('@') || address.indexOf('@') < 1) {
            return ApiError.response(Response.Status.BAD_REQUEST, "email must be an address at @" + domain);
        }
        if (!(audience instanceof String rp) || rp.isBlank()) {
            return ApiError.response(Response.Status.BAD_REQUEST, "audience is required (the relying party's origin)");
        }
        long now = System.currentTimeMillis();
        SigningKey user = SigningKey.generate(Algorithm.DS128);
        String certificate = Certificates.certificate(key, domain, Map.of("email", address), user, now,
                now + CERTIFICATE_MILLIS);
        String assertion = Certificates.backed(certificate, Certificates.assertion(user, rp, now + ASSERTION_MILLIS));
        return Response.ok(Map.of("assertion", assertion, "email", address, "issuer", domain)).build();
    }

    private static boolean fromLoopback(HttpServletRequest request) {
        return request != null && Loopback.loopback(request.getRemoteAddr());
    }

    private static Response forbidden() {
        return ApiError.response(Response.Status.FORBIDDEN, "the development IdP answers loopback clients only");
    }
}
