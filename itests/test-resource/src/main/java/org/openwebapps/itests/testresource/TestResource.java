package org.openwebapps.itests.testresource;

import java.util.Map;

import org.openwebapps.rest.JakartarsName;
import org.openwebapps.rest.JakartarsResource;
import org.osgi.service.component.annotations.Component;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Endpoints the integration tests call while this bundle comes and goes. */
@Component(service = TestResource.class)
@JakartarsResource
@JakartarsName("itest")
@Path("itest")
@Produces(MediaType.APPLICATION_JSON)
public class TestResource {

    @GET
    @Path("ping")
    public Map<String, Object> ping() {
        return Map.of("pong", true);
    }

    /** Echoes a JSON object: exercises the server's Jackson configuration and body limit. */
    @POST
    @Path("echo")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> echo(Map<String, Object> body) {
        return Map.of("received", body == null ? Map.of() : body);
    }

    /** A typed query parameter: an unparsable value must be a 400. */
    @GET
    @Path("count")
    public Map<String, Object> count(@QueryParam("n") int n) {
        return Map.of("n", n);
    }

    /** Returns an error status without a body: the runtime must still answer JSON. */
    @GET
    @Path("bare-error")
    public Response bareError() {
        return Response.status(Response.Status.CONFLICT).build();
    }

    /** A bug: the client must get a JSON 500 without the exception's message or stack. */
    @GET
    @Path("fail")
    public Map<String, Object> fail() {
        throw new IllegalStateException("internal detail that must not leak");
    }
}
