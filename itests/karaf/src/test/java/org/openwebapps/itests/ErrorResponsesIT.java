package org.openwebapps.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.stream.Stream;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.openwebapps.browserid.Algorithm;
import org.openwebapps.itests.browserid.TestIdp;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;

import com.fasterxml.jackson.databind.JsonNode;

/** Every error, whoever produces it, reaches the client through real Jetty as a JSON body. */
@RunWith(ServerExam.class)
@ExamReactorStrategy(PerClass.class)
public class ErrorResponsesIT extends ServerTestSupport {

    @Before
    public void serveTestResource() throws Exception {
        if (bundle("org.openwebapps.itests.testresource") == null) {
            installTestResource();
        }
        awaitStatus("GET", "/itest/ping", 200);
    }

    @Test
    public void unknownPathIs404Json() {
        assertError(get("/no/such/thing"), 404, "not_found");
    }

    @Test
    public void wrongMethodIs405JsonWithAllow() {
        HttpResponse<String> response = post("/__lbheartbeat__", "application/json", "{}");
        assertError(response, 405, "method_not_allowed");
        assertTrue(response.headers().firstValue("Allow").orElse("").contains("GET"));
    }

    @Test
    public void wrongContentTypeIs415Json() {
        assertError(post("/itest/echo", "text/plain", "hello"), 415, "unsupported_media_type");
    }

    @Test
    public void unacceptableAcceptIs406Json() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/itest/ping"))
                .header("Accept", "image/png").GET().build());
        assertError(response, 406, "not_acceptable");
    }

    @Test
    public void malformedJsonIs400Json() {
        assertError(post("/itest/echo", "application/json", "{\"a\":"), 400, "bad_request");
        assertError(post("/itest/echo", "application/json", "{} trailing"), 400, "bad_request");
        assertError(post("/itest/echo", "application/json", "[1,2]"), 400, "bad_request");
        HttpResponse<String> invalidUtf8 = send(HttpRequest.newBuilder(uri("/itest/echo"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'"', (byte) 0xff, (byte) 0xfe, '"'}))
                .build());
        assertError(invalidUtf8, 400, "bad_request");
    }

    @Test
    public void unparsableQueryParameterIs400Json() {
        JsonNode error = assertError(get("/itest/count?n=abc"), 400, "bad_request");
        assertTrue(error.path("message").asText().contains("'n'"));
    }

    @Test
    public void errorStatusWithoutBodyGetsJsonBody() {
        assertError(get("/itest/bare-error"), 409, "conflict");
    }

    @Test
    public void unexpectedExceptionIs500WithoutDetails() {
        HttpResponse<String> response = get("/itest/fail");
        assertError(response, 500, "internal_server_error");
        assertFalse(response.body(), response.body().contains("internal detail"));
        assertFalse(response.body(), response.body().contains("Exception"));
        assertFalse(response.body(), response.body().contains("\tat "));
    }

    @Test
    public void validJsonRoundTrips() {
        HttpResponse<String> response = post("/itest/echo", "application/json; charset=utf-8",
                "{\"origin\":\"https://app.example\",\"name\":\"caf\u00e9 \u2603\",\"unknown\":[1,{\"x\":null}]}");
        assertEquals(200, response.statusCode());
        JsonNode received = json(response).path("received");
        assertEquals("caf\u00e9 \u2603", received.path("name").asText());
        assertTrue(received.path("unknown").get(1).path("x").isNull());
    }

    @Test
    public void bodyOverTheConfiguredLimitIs413() throws Exception {
        Configuration config = configurationAdmin.getConfiguration("org.openwebapps.http.rest", null);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("max.body.bytes", 1024L);
        config.update(properties);
        try {
            String small = jsonOfSize(1000);
            String large = jsonOfSize(2000);
            // the limit applies once the runtime has rebuilt Jersey with the new configuration
            await("the 1024 byte limit in force",
                    () -> postOversized(HttpRequest.BodyPublishers.ofString(large)).statusCode(), status -> status == 413);
            assertError(postOversized(HttpRequest.BodyPublishers.ofString(large)), 413, "request_entity_too_large");
            assertEquals(200, post("/itest/echo", "application/json", small).statusCode());

            // no Content-Length: the body is counted while it is read
            HttpResponse<String> chunked = postOversized(
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(large.getBytes())));
            assertError(chunked, 413, "request_entity_too_large");
        } finally {
            config.delete();
        }
        String large = jsonOfSize(2000);
        await("the default limit back in force", () -> post("/itest/echo", "application/json", large).statusCode(),
                status -> status == 200);
    }

    private static int port() {
        return Integer.parseInt(System.getProperty(HTTP_PORT));
    }

    private static String head(String contentType, long contentLength) {
        return "POST /itest/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                + contentLength + "\r\n";
    }

    @Test
    public void aFormAnnouncingMoreThanTheLimitIs413AtOnceWithoutWaitingForTheBody() throws Exception {
        try (RawHttp request = new RawHttp(port(), head("application/x-www-form-urlencoded", 1L << 30), "a=")) {
            String answer = request.answer(); // before any of the gigabyte was sent
            assertEquals(answer, 413, RawHttp.status(answer));
            assertTrue(answer, answer.contains("\"error\":\"request_entity_too_large\""));
        }
    }

    @Test
    public void aBodyReadAsynchronouslyReachesItsResource() throws Exception {
        // chunked: no announced length, so the body is always read by the async reader
        try (RawHttp request = new RawHttp(port(), "POST /itest/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n",
                "5\r\n{\"n\":\r\n")) {
            request.send("3\r\n42}\r\n0\r\n\r\n"); // the rest of the body, in a later write
            String answer = request.answer();
            assertEquals(answer, 200, RawHttp.status(answer));
            assertTrue(answer, answer.contains("\"n\":42"));
        }
    }

    @Test
    public void anUnknownCharsetIs415Json() {
        assertError(post("/browserid/verify", "application/x-www-form-urlencoded; charset=bogus", "assertion=a&audience=b"),
                415, "unsupported_media_type");
        assertError(post("/itest/echo", "application/json; charset=bogus", "{}"), 415, "unsupported_media_type");
        assertError(post("/itest/echo", "application/json; charset=\"no such\"", "{}"), 415, "unsupported_media_type");
    }

    @Test
    public void aBodyCutShortIs400Json() throws Exception {
        try (RawHttp request = new RawHttp(port(), head("application/json", 100), "{\"a\":")) {
            request.endRequest();
            String answer = request.answer();
            assertEquals(answer, 400, RawHttp.status(answer));
            assertTrue(answer, answer.contains("\"error\":\"bad_request\""));
        }
    }

    @Test
    public void clientMistakesAre4xxJsonAndLeaveNoStackTraceInTheLog() throws Exception {
        Path log = Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
        long before = Files.size(log);
        try (TestIdp idp = TestIdp.start(Algorithm.RS256)) {
            for (String email : List.of("a@127.1", "a@a..b", "a@foo.123", "a@x:99999", "a@0x7f000001")) {
                HttpResponse<String> verdict = post("/browserid/verify", "application/x-www-form-urlencoded",
                        "assertion=" + URLEncoder.encode(idp.assertion(email, "https://rp.example"), StandardCharsets.UTF_8)
                                + "&audience=https%3A%2F%2Frp.example");
                assertEquals(email + ": " + verdict.body(), 200, verdict.statusCode());
                assertEquals(verdict.body(), "bad email in certificate", json(verdict).path("reason").asText());
            }
        }
        assertError(post("/browserid/verify", "application/x-www-form-urlencoded; charset=bogus", "assertion=a&audience=b"),
                415, "unsupported_media_type");
        try (RawHttp cut = new RawHttp(port(), "POST /browserid/verify HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n", "assertion=abc")) {
            cut.endRequest();
            assertEquals(400, RawHttp.status(cut.answer()));
        }
        for (String since : List.of("1e999999999", "1e10000000", "-1", "NaN")) {
            HttpResponse<String> anonymous = get("/collections/a%40b.example/apps?since=" + since);
            assertEquals(since + ": " + anonymous.body(), 401, anonymous.statusCode()); // the token first, the number never built
        }
        assertError(post("/itest/echo", "application/json", "{\"truncated\":"), 400, "bad_request");
        assertEquals(200, get("/__heartbeat__").statusCode());

        List<String> traces;
        try (Stream<String> lines = Files.lines(log)) {
            traces = lines.skip(countLines(log, before)).filter(line -> line.startsWith("\tat ") || line.contains("| ERROR"))
                    .limit(5).toList();
        }
        assertTrue("a stack trace or error in the log is a bug of ours: " + traces, traces.isEmpty());
    }

    /** @return the number of lines in the first {@code bytes} bytes of a file */
    private static long countLines(Path file, long bytes) throws IOException {
        long lines = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            for (long read = 0; read < bytes; read++) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                if (b == '\n') {
                    lines++;
                }
            }
        }
        return lines;
    }

    @Test
    public void slowBodiesHoldNoThreadTheServerStaysResponsiveAndEachGets408() throws Exception {
        // the default body timeout (10 s): reconfiguring the runtime here raced with the
        // configuration another test of this class deletes
        List<RawHttp> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 250; i++) { // more than Jetty's 200 threads
                slow.add(new RawHttp(port(), head("application/json", 1000), "{"));
            }
            for (int i = 0; i < 20; i++) {
                assertEquals(200, get("/__lbheartbeat__").statusCode());
                assertEquals(200, post("/itest/echo", "application/json", "{\"n\":" + i + "}").statusCode());
            }
            for (RawHttp request : List.of(slow.get(0), slow.get(124), slow.get(249))) {
                String answer = request.answer();
                assertEquals(answer, 408, RawHttp.status(answer));
                assertTrue(answer, answer.contains("\"error\":\"request_timeout\""));
            }
        } finally {
            for (RawHttp request : slow) {
                request.close();
            }
        }
    }

    /**
     * POSTs a body the server refuses before reading it. The server may answer and close while
     * the client still sends (HTTP allows that early answer), and the client then sometimes loses
     * the answer to the closed connection: such a send is repeated on a fresh connection, a few
     * times at most.
     */
    private HttpResponse<String> postOversized(HttpRequest.BodyPublisher body) {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                        HttpRequest.newBuilder(uri("/itest/echo")).timeout(Duration.ofSeconds(10))
                                .header("Content-Type", "application/json")
                                .POST(body).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError("the oversized POST never got an answer", last);
    }

    private static String jsonOfSize(int bytes) {
        String prefix = "{\"padding\":\"";
        String suffix = "\"}";
        return prefix + "x".repeat(bytes - prefix.length() - suffix.length()) + suffix;
    }

    private static JsonNode assertError(HttpResponse<String> response, int status, String error) {
        assertEquals(response.body(), status, response.statusCode());
        assertTrue("JSON content type: " + response.headers().map(),
                response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = json(response);
        assertEquals(response.body(), status, body.path("status").asInt());
        assertEquals(response.body(), error, body.path("error").asText());
        assertFalse(response.body(), body.path("message").asText().isBlank());
        return body;
    }
}
