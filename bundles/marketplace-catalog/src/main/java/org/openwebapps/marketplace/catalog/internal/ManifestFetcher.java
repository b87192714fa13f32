package org.openwebapps.marketplace.catalog.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

import org.openwebapps.fetch.FetchException;
import org.openwebapps.fetch.FetchRequest;
import org.openwebapps.fetch.FetchResponse;
import org.openwebapps.fetch.OutboundFetcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a manifest through the server's one outbound fetcher (which checks every resolved
 * address and connects to the checked one), adding the Marketplace's rules: redirects only within
 * the manifest's origin, each hop fetched (and so re-checked) anew, one deadline over all hops,
 * the manifest media types, and a {@code FETCH_*} code for every failure.
 */
final class ManifestFetcher {

    /** Why a manifest could not be fetched: its one error. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient ValidationMessage message;

        Failure(String code, String message) {
            super(code, null, false, false);
            this.message = ValidationMessage.error(code, "", message);
        }

        ValidationMessage message() {
            return message;
        }
    }

    /** The fetcher is overloaded: not the manifest's fault, the client retries later (503). */
    static final class Busy extends Exception {
        private static final long serialVersionUID = 1L;

        Busy() {
            super("busy", null, false, false);
        }
    }

    /** Limits from {@code org.openwebapps.marketplace.fetch}. */
    record Limits(Duration timeout, int maxBytes, int maxRedirects) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ManifestFetcher.class);
    private static final Set<String> MEDIA_TYPES = Set.of("application/x-web-app-manifest+json", "application/json");
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final OutboundFetcher fetcher;
    private final Limits limits;
    private final LongSupplier nanoTime;

    ManifestFetcher(OutboundFetcher fetcher, Limits limits, LongSupplier nanoTime) {
        this.fetcher = fetcher;
        this.limits = limits;
        this.nanoTime = nanoTime;
    }

    /**
     * @param manifestUrl the URL as the developer gave it; its origin was already checked by {@link Origins}
     * @return the manifest's bytes
     */
    byte[] fetch(String manifestUrl, String origin) throws Failure, Busy {
        URI uri = parse(manifestUrl);
        long deadline = nanoTime.getAsLong() + limits.timeout().toNanos();
        for (int hop = 0;; hop++) {
            checkScheme(uri);
            FetchResponse response = fetchOnce(uri, deadline);
            if (REDIRECTS.contains(response.status())) {
                if (hop == limits.maxRedirects()) {
                    throw new Failure("FETCH_REDIRECT", "more than " + limits.maxRedirects() + " redirects");
                }
                uri = redirectTarget(uri, response, origin);
                continue;
            }
            if (response.status() != 200) {
                throw new Failure("FETCH_HTTP_STATUS", "the manifest URL answered " + response.status() + ", not 200");
            }
            if (!MEDIA_TYPES.contains(response.mediaType())) {
                throw new Failure("FETCH_CONTENT_TYPE", "the manifest must be served as"
                        + " application/x-web-app-manifest+json or application/json");
            }
            return response.body();
        }
    }

    private static URI parse(String url) throws Failure {
        try {
            URI uri = new URI(url);
            // the fragment is the client's: never sent
            return uri.getRawFragment() == null ? uri
                    : new URI(uri.getScheme(), uri.getRawSchemeSpecificPart(), null);
        } catch (URISyntaxException e) {
            throw new Failure("FETCH_BAD_URL", "not an absolute http(s) URL");
        }
    }

    private void checkScheme(URI uri) throws Failure {
        if ("http".equals(uri.getScheme().toLowerCase(Locale.ROOT)) && !fetcher.allowsPlainHttp(uri.getHost(),
                uri.getPort() == -1 ? 80 : uri.getPort())) {
            throw new Failure("FETCH_SCHEME", "manifests are fetched over https");
        }
    }

    private FetchResponse fetchOnce(URI uri, long deadline) throws Failure, Busy {
        long left = deadline - nanoTime.getAsLong();
        if (left <= 0) {
            throw new Failure("FETCH_TIMEOUT", "the manifest took longer than " + limits.timeout().toMillis() + " ms");
        }
        FetchRequest request = FetchRequest.get(uri).withDeadline(Duration.ofNanos(left)).withMaxBytes(limits.maxBytes())
                .withHeader("Accept", "application/x-web-app-manifest+json, application/json");
        try {
            return fetcher.fetch(request);
        } catch (FetchException e) {
            LOG.debug("Manifest fetch of {} failed: {}", uri, e.detail());
            switch (e.kind()) {
                case REFUSED -> throw new Failure("FETCH_FORBIDDEN_ADDRESS",
                        "the manifest's host is not a public address");
                case TOO_LARGE -> throw new Failure("FETCH_TOO_LARGE",
                        "the manifest is larger than " + limits.maxBytes() + " bytes");
                case BUSY -> throw new Busy();
                default -> {
                    if (deadline - nanoTime.getAsLong() <= 0) {
                        throw new Failure("FETCH_TIMEOUT",
                                "the manifest took longer than " + limits.timeout().toMillis() + " ms");
                    }
                    throw new Failure("FETCH_FAILED", "could not fetch the manifest");
                }
            }
        }
    }

    private static URI redirectTarget(URI from, FetchResponse response, String origin) throws Failure {
        Optional<String> location = response.header("Location");
        if (location.isEmpty()) {
            throw new Failure("FETCH_REDIRECT", "a redirect without a Location");
        }
        URI target;
        try {
            target = from.resolve(new URI(location.get()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new Failure("FETCH_REDIRECT", "a redirect to an invalid URL");
        }
        if (!Origins.of(target).map(origin::equals).orElse(false)) {
            throw new Failure("FETCH_REDIRECT", "a redirect off the manifest's origin");
        }
        return target;
    }
}
