package org.openwebapps.auth.browserid.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.openwebapps.browserid.BrowserIdException;
import org.openwebapps.fetch.FetchException;
import org.openwebapps.fetch.FetchRequest;
import org.openwebapps.fetch.FetchResponse;
import org.openwebapps.fetch.OutboundFetcher;

/**
 * Fetches {@code https://<domain>/.well-known/browserid?domain=<email domain>} through the server's
 * outbound fetcher (deadline, size cap, public addresses only, no redirects): 200 and
 * {@code application/json} required. Hosts the fetcher allows plain HTTP to are asked over HTTP
 * (development and tests only). Every transport failure gives the same reason.
 */
final class HttpSupportDocuments implements SupportDocumentSource {

    static final int MAX_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OutboundFetcher fetcher;
    private final Duration deadline;
    private final boolean allowWeakKeys;

    HttpSupportDocuments(OutboundFetcher fetcher, Duration deadline, boolean allowWeakKeys) {
        this.fetcher = fetcher;
        this.deadline = deadline;
        this.allowWeakKeys = allowWeakKeys;
    }

    @Override
    public SupportDocument fetch(String domain, String principalDomain) throws BrowserIdException, VerifierUnavailable {
        if (!Domains.valid(domain)) {
            throw new BrowserIdException(domain + " is not a browserid primary - invalid domain");
        }
        int colon = domain.indexOf(':');
        String host = colon < 0 ? domain : domain.substring(0, colon);
        int port = colon < 0 ? -1 : Integer.parseInt(domain.substring(colon + 1));
        String scheme = fetcher.allowsPlainHttp(host, port < 0 ? 80 : port) ? "http" : "https";
        URI uri = URI.create(scheme + "://" + domain + "/.well-known/browserid?domain="
                + URLEncoder.encode(principalDomain, StandardCharsets.UTF_8));
        FetchResponse response;
        try {
            response = fetcher.fetch(FetchRequest.get(uri).withHeader("Accept", "application/json")
                    .withDeadline(deadline).withMaxBytes(MAX_BYTES));
        } catch (FetchException e) {
            if (e.kind() == FetchException.Kind.BUSY) {
                throw new VerifierUnavailable("too many support document fetches in flight, try again later");
            }
            throw notPrimary(domain, "could not fetch its support document");
        }
        int status = response.status();
        if (status >= 300 && status < 400) {
            throw notPrimary(domain, "redirection not supported");
        }
        if (status != 200) {
            throw notPrimary(domain, "non-200 response code to /.well-known/browserid");
        }
        if (!response.mediaType().equals("application/json")) {
            throw notPrimary(domain, "non \"application/json\" response");
        }
        Object json;
        try {
            json = JSON.readValue(response.body(), Object.class);
        } catch (IOException e) {
            throw new BrowserIdException("bad support document for '" + domain + "': not JSON");
        }
        return SupportDocument.parse(domain, json, allowWeakKeys);
    }

    private static BrowserIdException notPrimary(String domain, String why) {
        return new BrowserIdException(domain + " is not a browserid primary - " + why);
    }
}
