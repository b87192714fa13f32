package org.openwebapps.auth.browserid.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.openwebapps.browserid.BrowserIdException;

/**
 * Fetches {@code https://<domain>/.well-known/browserid?domain=<email domain>}: 200 and
 * {@code application/json} required, redirects refused, a timeout on connect and answer, at most
 * {@value #MAX_BYTES} bytes. Hosts in {@code allowHttpHosts} are fetched over plain HTTP
 * (development and tests only).
 */
final class HttpSupportDocuments implements SupportDocumentSource {

    static final int MAX_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final Duration timeout;
    private final Set<String> allowHttpHosts;
    private final boolean allowWeakKeys;

    HttpSupportDocuments(Duration timeout, Set<String> allowHttpHosts, boolean allowWeakKeys) {
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .build();
        this.timeout = timeout;
        this.allowHttpHosts = allowHttpHosts;
        this.allowWeakKeys = allowWeakKeys;
    }

    @Override
    public SupportDocument fetch(String domain, String principalDomain) throws BrowserIdException {
        if (!SupportDocument.DOMAIN.matcher(domain).matches()) {
            throw new BrowserIdException(domain + " is not a browserid primary - invalid domain");
        }
        String scheme = allowHttpHosts.contains(domain.toLowerCase(Locale.ROOT)) ? "http" : "https";
        URI uri = URI.create(scheme + "://" + domain + "/.well-known/browserid?domain="
                + URLEncoder.encode(principalDomain, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                int status = response.statusCode();
                if (status >= 300 && status < 400) {
                    throw notPrimary(domain, "redirection not supported");
                }
                if (status != 200) {
                    throw notPrimary(domain, "non-200 response code to /.well-known/browserid");
                }
                String type = response.headers().firstValue("Content-Type").orElse("");
                if (!type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                    throw notPrimary(domain, "non \"application/json\" response");
                }
                byte[] bytes = body.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) {
                    throw notPrimary(domain, "support document over " + MAX_BYTES + " bytes");
                }
                return SupportDocument.parse(domain, JSON.readValue(bytes, Object.class), allowWeakKeys);
            }
        } catch (HttpTimeoutException e) {
            throw new BrowserIdException("timeout trying to load well-known for " + domain);
        } catch (JsonProcessingException e) {
            throw new BrowserIdException("bad support document for '" + domain + "': not JSON");
        } catch (IOException e) {
            throw notPrimary(domain, "could not connect");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrowserIdException("interrupted loading well-known for " + domain);
        }
    }

    private static BrowserIdException notPrimary(String domain, String why) {
        return new BrowserIdException(domain + " is not a browserid primary - " + why);
    }
}
