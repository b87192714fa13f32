package org.openwebapps.itests.testresource;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.openwebapps.auth.AuthenticationException;
import org.openwebapps.auth.Authenticator;
import org.openwebapps.auth.Credential;
import org.openwebapps.auth.Identity;
import org.openwebapps.rest.ApiError;
import org.openwebapps.rest.JakartarsName;
import org.openwebapps.rest.JakartarsResource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * A login through the auth SPI, as a protocol handler does one: {@code {"type","value","audience"}}
 * → 200 with the identity, 401 with the reason, or 503 when the provider cannot decide.
 */
@Component(service = LoginResource.class)
@JakartarsResource
@JakartarsName("itest-login")
@Path("itest/login")
@Produces(MediaType.APPLICATION_JSON)
public class LoginResource {

    private final Authenticator authenticator;

    @Activate
    public LoginResource(@Reference Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response login(Map<String, String> body) {
        if (body == null || body.get("type") == null || body.get("value") == null) {
            return ApiError.response(Response.Status.BAD_REQUEST, "type and value are required");
        }
        try {
            Identity identity = authenticator.authenticate(new Credential(body.get("type"), body.get("value"),
                    body.get("audience")));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("email", identity.email());
            answer.put("verified", identity.verified());
            answer.put("issuer", identity.issuer());
            answer.put("provider", identity.provider());
            answer.put("expires", identity.expires().toEpochMilli());
            return Response.ok(answer).build();
        } catch (AuthenticationException e) {
            Response.Status status = e.kind() == AuthenticationException.Kind.UNAVAILABLE
                    ? Response.Status.SERVICE_UNAVAILABLE : Response.Status.UNAUTHORIZED;
            return ApiError.response(status, e.getMessage());
        }
    }
}
