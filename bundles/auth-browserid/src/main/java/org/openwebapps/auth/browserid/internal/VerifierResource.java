package org.openwebapps.auth.browserid.internal;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.openwebapps.browserid.BrowserIdException;
import org.openwebapps.rest.JakartarsName;
import org.openwebapps.rest.JakartarsResource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Persona's verifier API, so relying parties written against {@code verifier.login.persona.org}
 * can use this server: {@code POST /browserid/verify} (v1: form or JSON) and
 * {@code POST /browserid/v2} (JSON, optional {@code trustedIssuers}). A verdict is HTTP 200
 * ({@code "status":"okay"} or {@code "failure"} with the reason); a request without assertion or
 * audience is 400. Always verifies locally, whatever the provider's mode.
 */
@Component(service = VerifierResource.class)
@JakartarsResource
@JakartarsName("browserid-verifier")
@Path("/browserid")
@Produces(MediaType.APPLICATION_JSON)
public final class VerifierResource {

    /** A busy fetcher frees up within one fetch deadline. */
    private static final int RETRY_AFTER_SECONDS = 5;

    private final BrowserIdVerification verification;

    @Activate
    public VerifierResource(@Reference BrowserIdVerification verification) {
        this.verification = verification;
    }

    @POST
    @Path("verify")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response verifyForm(MultivaluedMap<String, String> form) {
        return verdict(form.getFirst("assertion"), form.getFirst("audience"), Set.of());
    }

    @POST
    @Path("verify")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response verifyJson(Map<String, Object> body) {
        return verdict(text(body, "assertion"), text(body, "audience"), Set.of());
    }

    @POST
    @Path("v2")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response verifyV2(Map<String, Object> body) {
        Object trusted = body == null ? null : body.get("trustedIssuers");
        Set<String> issuers = new HashSet<>();
        if (trusted != null) {
            if (!(trusted instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
                return failure(Response.Status.BAD_REQUEST, "trustedIssuers must be an array of strings");
            }
            list.forEach(issuer -> issuers.add((String) issuer));
        }
        return verdict(text(body, "assertion"), text(body, "audience"), issuers);
    }

    private Response verdict(String assertion, String audience, Set<String> trustedIssuers) {
        if (assertion == null || assertion.isEmpty()) {
            return failure(Response.Status.BAD_REQUEST, "missing assertion parameter");
        }
        if (audience == null || audience.isEmpty()) {
            return failure(Response.Status.BAD_REQUEST, "missing audience parameter");
        }
        try {
            LocalVerifier.Verified verified = verification.verifyLocally(assertion, audience, trustedIssuers);
            Map<String, Object> okay = new LinkedHashMap<>();
            okay.put("status", "okay");
            okay.put("email", verified.email());
            okay.put("audience", audience); // as the relying party sent it
            okay.put("expires", verified.expiresMillis());
            okay.put("issuer", verified.issuer());
            if (!verified.verified()) {
                okay.put("unverified", true);
            }
            if (!verified.idpClaims().isEmpty()) {
                okay.put("idpClaims", verified.idpClaims());
            }
            if (!verified.userClaims().isEmpty()) {
                okay.put("userClaims", verified.userClaims());
            }
            return Response.ok(okay).build();
        } catch (BrowserIdException e) {
            return failure(Response.Status.OK, e.getMessage());
        } catch (VerifierUnavailable e) {
            // no verdict: a relying party must not read this as a failure of the assertion
            return Response.fromResponse(failure(Response.Status.SERVICE_UNAVAILABLE, e.getMessage()))
                    .header("Retry-After", RETRY_AFTER_SECONDS).build();
        }
    }

    private static Response failure(Response.Status status, String reason) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("status", "failure", "reason", reason)).build();
    }

    private static String text(Map<String, Object> body, String name) {
        return body != null && body.get(name) instanceof String value ? value : null;
    }
}
