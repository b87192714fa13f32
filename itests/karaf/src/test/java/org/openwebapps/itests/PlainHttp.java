package org.openwebapps.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * HTTP calls over HttpURLConnection, for tests that keep many requests going while servers fail:
 * under that load, with servers closing pooled connections, the JDK 17 HttpClient's selector thread
 * was seen spinning, and every later request of that client hung past its timeout.
 */
final class PlainHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer, read whole. */
    record Reply(String method, int status, String body, String etag, String retryAfter) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    private PlainHttp() {
    }

    /**
     * @throws IOException the server could not be reached or the connection broke
     */
    static Reply call(String method, URI uri, Map<String, String> headers, String body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(30_000);
        headers.forEach(connection::setRequestProperty);
        if (body != null) {
            connection.setDoOutput(true);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = connection.getResponseCode();
        String text;
        try (InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            text = stream == null ? "" : new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        }
        return new Reply(method, status, text, connection.getHeaderField("ETag"), connection.getHeaderField("Retry-After"));
    }

    /** Like {@link #call}, for calls that must reach the server: a broken connection fails the test. */
    static Reply mustCall(String method, URI uri, Map<String, String> headers, String body) {
        try {
            return call(method, uri, headers, body);
        } catch (IOException e) {
            throw new AssertionError(method + " " + uri + " failed: " + e, e);
        }
    }
}
