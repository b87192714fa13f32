package org.openwebapps.auth.browserid.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.openwebapps.browserid.BrowserIdException;
import org.openwebapps.fetch.FetchException;
import org.openwebapps.fetch.FetchRequest;
import org.openwebapps.fetch.FetchResponse;
import org.openwebapps.fetch.OutboundFetcher;

/**
 * Asks a Persona-style verifier, through the outbound fetcher: v1
 * ({@code application/x-www-form-urlencoded}) or, when the URL's path ends in {@code /v2}, v2
 * (JSON, with the configured trusted issuers). The answer's audience must be the one asked about
 * and its email valid, as a careful relying party checks; {@code "unverified": true} stays
 * unverified.
 */
final class RemoteVerifier {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BYTES = 64 * 1024;

    private final URI url;
    private final boolean v2;
    private final List<String> trustedIssuers;
    private final OutboundFetcher fetcher;
    private final Duration deadline;

    RemoteVerifier(URI url, List<String> trustedIssuers, OutboundFetcher fetcher, Duration deadline) {
        if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme())) {
            throw new IllegalArgumentException("verifier.url must be http(s), got " + url.getScheme());
        }
        this.url = url;
        this.v2 = url.getPath() != null && url.getPath().endsWith("/v2");
        this.trustedIssuers = List.copyOf(trustedIssuers);
        this.fetcher = fetcher;
        this.deadline = deadline;
    }

    LocalVerifier.Verified verify(String assertion, String audience) throws BrowserIdException, VerifierUnavailable {
        FetchRequest request;
        try {
            if (v2) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("assertion", assertion);
                body.put("audience", audience);
                if (!trustedIssuers.isEmpty()) {
                    body.put("trustedIssuers", trustedIssuers);
                }
                request = FetchRequest.post(url, "application/json", JSON.writeValueAsBytes(body));
            } else {
                String form = "assertion=" + URLEncoder.encode(assertion, StandardCharsets.UTF_8)
                        + "&audience=" + URLEncoder.encode(audience, StandardCharsets.UTF_8);
                request = FetchRequest.post(url, "application/x-www-form-urlencoded", form.getBytes(StandardCharsets.UTF_8));
            }
            FetchResponse response = fetcher.fetch(request.withDeadline(deadline).withMaxBytes(MAX_BYTES));
            if (response.status() != 200) {
                throw new VerifierUnavailable("remote verifier answered HTTP " + response.status());
            }
            Map<String, Object> answer = JSON.readValue(response.body(), new TypeReference<Map<String, Object>>() {
            });
            if ("failure".equals(answer.get("status"))) {
                throw new BrowserIdException(String.valueOf(answer.get("reason")));
            }
            if (!"okay".equals(answer.get("status")) || !(answer.get("email") instanceof String email)
                    || !(answer.get("issuer") instanceof String issuer) || !(answer.get("expires") instanceof Number expires)) {
                throw new VerifierUnavailable("remote verifier gave no verdict");
            }
            if (!audience.equals(answer.get("audience"))) {
                throw new BrowserIdException("audience mismatch: the remote verifier verified another audience");
            }
            if (!Emails.valid(email)) {
                throw new BrowserIdException("bad email in certificate");
            }
            boolean verified = !Boolean.TRUE.equals(answer.get("unverified"));
            return new LocalVerifier.Verified(email, verified, issuer, expires.longValue(), claims(answer.get("idpClaims")),
                    claims(answer.get("userClaims")));
        } catch (FetchException e) {
            throw new VerifierUnavailable(e.kind() == FetchException.Kind.BUSY ? "too many fetches in flight, try again later"
                    : "remote verifier unreachable");
        } catch (IOException e) {
            throw new VerifierUnavailable("remote verifier gave no verdict");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> claims(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}
