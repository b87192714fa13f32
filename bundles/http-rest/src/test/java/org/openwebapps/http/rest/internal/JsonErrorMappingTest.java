package org.openwebapps.http.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.glassfish.jersey.internal.MapPropertiesDelegate;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ContainerResponse;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The server-wide providers, run in Jersey's in-memory request pipeline (no servlet container). */
class JsonErrorMappingTest {

    private static final int LIMIT = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Path("t")
    @Produces(MediaType.APPLICATION_JSON)
    public static class SampleResource {
        @GET
        @Path("ok")
        public Map<String, Object> ok() {
            return Map.of("ok", true);
        }

        @POST
        @Path("echo")
        @Consumes(MediaType.APPLICATION_JSON)
        public Map<String, Object> echo(Map<String, Object> body) {
            return body;
        }

        @POST
        @Path("raw")
        @Consumes(MediaType.WILDCARD)
        public Map<String, Object> raw(String body) {
            return Map.of("length", body.length());
        }

        @GET
        @Path("count")
        public Map<String, Object> count(@QueryParam("n") int n) {
            return Map.of("n", n);
        }

        @GET
        @Path("bug")
        public Map<String, Object> bug() {
            throw new IllegalStateException("password=hunter2");
        }

        @GET
        @Path("bare")
        public Response bare() {
            return Response.status(Response.Status.GONE).build();
        }

        @GET
        @Path("own-body")
        public Response ownBody() {
            throw new WebApplicationException(Response.status(400).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("code", 1, "msg", "invalid since")).build());
        }

        @GET
        @Path("busy")
        public Response busy() {
            throw new ServiceUnavailableException(7L);
        }
    }

    private final ApplicationHandler handler = new ApplicationHandler(
            JaxrsApplication.create(LIMIT, JaxrsApplication.objectMapper(), new RequestMetrics(), List.of(new SampleResource())));

    @Test
    void successIsUntouched() throws Exception {
        Reply reply = call("GET", "/t/ok", null, null);
        assertEquals(200, reply.status);
        assertTrue(reply.json().path("ok").asBoolean());
    }

    @Test
    void unknownPathIs404() throws Exception {
        assertError(call("GET", "/nothing/here", null, null), 404, "not_found");
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        Reply reply = call("DELETE", "/t/ok", null, null);
        assertError(reply, 405, "method_not_allowed");
        assertTrue(reply.response.getHeaderString("Allow").contains("GET"));
    }

    @Test
    void wrongContentTypeIs415() throws Exception {
        assertError(call("POST", "/t/echo", "text/plain", "x"), 415, "unsupported_media_type");
    }

    @Test
    void malformedJsonIs400WithoutEchoingTheInput() throws Exception {
        Reply reply = call("POST", "/t/echo", "application/json", "{\"secret\": tru");
        assertError(reply, 400, "bad_request");
        assertFalse(reply.body.contains("tru"), reply.body);
    }

    @Test
    void trailingGarbageIs400() throws Exception {
        assertError(call("POST", "/t/echo", "application/json", "{} {}"), 400, "bad_request");
    }

    @Test
    void wrongJsonShapeIs400() throws Exception {
        assertError(call("POST", "/t/echo", "application/json", "[1]"), 400, "bad_request");
    }

    @Test
    void unparsableQueryParameterIs400() throws Exception {
        Reply reply = call("GET", "/t/count?n=many", null, null);
        assertError(reply, 400, "bad_request");
        assertTrue(reply.json().path("message").asText().contains("'n'"));
    }

    @Test
    void declaredBodyOverTheLimitIs413() throws Exception {
        String body = "{\"a\":\"" + "x".repeat(LIMIT) + "\"}";
        Reply reply = call("POST", "/t/echo", "application/json", body, body.length());
        assertError(reply, 413, "request_entity_too_large");
    }

    @Test
    void undeclaredBodyOverTheLimitIs413WhileReadingJson() throws Exception {
        String body = "{\"a\":\"" + "x".repeat(LIMIT) + "\"}";
        assertError(call("POST", "/t/echo", "application/json", body), 413, "request_entity_too_large");
    }

    @Test
    void undeclaredBodyOverTheLimitIs413WhileReadingText() throws Exception {
        assertError(call("POST", "/t/raw", "text/plain", "y".repeat(LIMIT + 1)), 413, "request_entity_too_large");
    }

    @Test
    void bodyAtTheLimitIsAccepted() throws Exception {
        Reply reply = call("POST", "/t/raw", "text/plain", "y".repeat(LIMIT));
        assertEquals(200, reply.status);
        assertEquals(LIMIT, reply.json().path("length").asInt());
    }

    @Test
    void invalidContentLengthIs400() throws Exception {
        ContainerRequest request = request("POST", "/t/raw", "text/plain", "abc");
        request.header("Content-Length", "lots");
        assertError(run(request), 400, "bad_request");
    }

    @Test
    void bugIs500WithIncidentAndNoDetail() throws Exception {
        Reply reply = call("GET", "/t/bug", null, null);
        assertError(reply, 500, "internal_server_error");
        assertFalse(reply.body.contains("hunter2"), reply.body);
        assertFalse(reply.body.contains("IllegalStateException"), reply.body);
        assertTrue(reply.json().path("message").asText().contains("incident"));
    }

    @Test
    void errorStatusWithoutBodyGetsOne() throws Exception {
        assertError(call("GET", "/t/bare", null, null), 410, "gone");
    }

    @Test
    void endpointsKeepTheirOwnErrorBodies() throws Exception {
        Reply reply = call("GET", "/t/own-body", null, null);
        assertEquals(400, reply.status);
        assertEquals(1, reply.json().path("code").asInt());
        assertEquals("invalid since", reply.json().path("msg").asText());
    }

    @Test
    void headersOfTheExceptionSurvive() throws Exception {
        Reply reply = call("GET", "/t/busy", null, null);
        assertError(reply, 503, "service_unavailable");
        assertEquals("7", reply.response.getHeaderString("Retry-After"));
    }

    // --- plumbing ---------------------------------------------------------------------------

    private record Reply(int status, String body, ContainerResponse response) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private static void assertError(Reply reply, int status, String error) throws IOException {
        assertEquals(status, reply.status, reply.body);
        assertTrue(reply.response.getMediaType().isCompatible(MediaType.APPLICATION_JSON_TYPE), reply.body);
        JsonNode body = reply.json();
        assertEquals(status, body.path("status").asInt(), reply.body);
        assertEquals(error, body.path("error").asText(), reply.body);
        assertFalse(body.path("message").asText().isBlank(), reply.body);
    }

    private Reply call(String method, String path, String contentType, String body) throws Exception {
        return run(request(method, path, contentType, body));
    }

    private Reply call(String method, String path, String contentType, String body, long contentLength)
            throws Exception {
        ContainerRequest request = request(method, path, contentType, body);
        request.header("Content-Length", String.valueOf(contentLength));
        return run(request);
    }

    private static ContainerRequest request(String method, String path, String contentType, String body) {
        ContainerRequest request = new ContainerRequest(URI.create("http://localhost/"),
                URI.create("http://localhost" + path), method, null, new MapPropertiesDelegate(), null);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        InputStream entity = new ByteArrayInputStream(
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
        request.setEntityStream(entity);
        return request;
    }

    private Reply run(ContainerRequest request) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ContainerResponse response = handler.apply(request, out).get();
        return new Reply(response.getStatus(), out.toString(StandardCharsets.UTF_8), response);
    }
}
