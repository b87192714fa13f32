package org.openwebapps.auth.browserid.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.openwebapps.browserid.BrowserIdException;

/**
 * Asks a Persona-style verifier: v1 ({@code application/x-www-form-urlencoded}) or, when the
 * URL's path ends in {@code /v2}, v2 (JSON, with the configured trusted issuers). The answer's
 * audience must be the one asked about and its email valid, as a careful relying party checks.
 */
final class RemoteVerifier {

    /** The verifier could not be asked or gave no verdict: the caller should try again later. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String reason) {
            super(reason, null, false, false);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BYTES = 64 * 1024;

    private final URI url;
    private final boolean v2;
    private final List<String> trustedIssuers;
    private final HttpClient client;
    private final Duration timeout;

    RemoteVerifier(URI url, List<String> trustedIssuers, Duration timeout) {
        if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme())) {
            throw new IllegalArgumentException("verifier.url must be http(s), got " + url.getScheme());
        }
        this.url = url;
        this.v2 = url.getPath() != null && url.getPath().endsWith("/v2");
        this.trustedIssuers = List.copyOf(trustedIssuers);
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
    }

    LocalVerifier.Verified verify(String assertion, String audience) throws BrowserIdException, Unavailable {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout);
        try {
            if (v2) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("assertion", assertion);
                body.put("audience", audience);
                if (!trustedIssuers.isEmpty()) {
                    body.put("trustedIssuers", trustedIssuers);
                }
                request.header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            } else {
                String form = "assertion=" + URLEncoder.encode(assertion, StandardCharsets.UTF_8)
                        + "&audience=" + URLEncoder.encode(audience, StandardCharsets.UTF_8);
                request.header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form));
            }
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200 || response.body().length > MAX_BYTES) {
                throw new Unavailable("remote verifier answered HTTP " + response.statusCode());
            }
            Map<String, Object> answer = JSON.readValue(response.body(), new TypeReference<Map<String, Object>>() {
            });
            if ("failure".equals(answer.get("status"))) {
                throw new BrowserIdException(String.valueOf(answer.get("reason")));
            }
            if (!"okay".equals(answer.get("status")) || !(answer.get("email") instanceof String email)
                    || !(answer.get("issuer") instanceof String issuer) || !(answer.get("expires") instanceof Number expires)) {
                throw new Unavailable("remote verifier gave no verdict");
            }
            if (!audience.equals(answer.get("audience"))) {
                throw new BrowserIdException("audience mismatch: the remote verifier verified another audience");
            }
            if (!Emails.valid(email)) {
                throw new BrowserIdException("bad email in certificate");
            }
            return new LocalVerifier.Verified(email, true, issuer, expires.longValue(), claims(answer.get("idpClaims")),
                    claims(answer.get("userClaims")));
        } catch (IOException e) {
            throw new Unavailable("remote verifier unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted asking the remote verifier");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> claims(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}
