package org.openwebapps.auth.browserid.internal;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.openwebapps.browserid.BrowserIdException;
import org.openwebapps.fetch.OutboundFetcher;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundle's verification, configured by {@value #PID}: the local verifier (always, the facade
 * uses it) and, when {@code verifier.url} is set, the remote one the provider asks instead.
 * An internal service, so the provider and the facade share one support-document cache.
 */
@Component(service = BrowserIdVerification.class, configurationPid = BrowserIdVerification.PID)
@Designate(ocd = BrowserIdConfiguration.class)
public final class BrowserIdVerification {

    static final String PID = "org.openwebapps.auth.browserid";

    private static final Logger LOG = LoggerFactory.getLogger(BrowserIdVerification.class);

    /** The verifiers of one configuration, replaced as a whole when it changes. */
    private record Verifiers(LocalVerifier local, RemoteVerifier remote) {
    }

    private final Clock clock;
    private final OutboundFetcher fetcher;
    private volatile Verifiers verifiers;

    @Activate
    public BrowserIdVerification(BrowserIdConfiguration config, @Reference OutboundFetcher fetcher) {
        this(config, fetcher, Clock.systemUTC());
    }

    BrowserIdVerification(BrowserIdConfiguration config, OutboundFetcher fetcher, Clock clock) {
        this.clock = clock;
        this.fetcher = fetcher;
        modified(config);
    }

    /**
     * A configuration change replaces the verifiers in place, so the provider and the verifier
     * API stay registered: no login fails while an operator edits the configuration.
     */
    @Modified
    void modified(BrowserIdConfiguration config) {
        if (config.clock_skew_seconds() < 0 || config.fetch_timeout_ms() < 100 || config.cache_seconds() < 0
                || config.cache_failure_seconds() < 0 || config.cache_size() < 1 || config.max_delegations() < 0) {
            throw new IllegalArgumentException("invalid " + PID + " configuration: negative or too small a limit");
        }
        Duration timeout = Duration.ofMillis(config.fetch_timeout_ms());
        SupportDocumentSource documents = new CachedSupportDocuments(
                new HttpSupportDocuments(fetcher, timeout, config.allow_weak_keys()), clock,
                Duration.ofSeconds(config.cache_seconds()), Duration.ofSeconds(config.cache_failure_seconds()),
                config.cache_size());
        Set<String> trusted = normalised(config.trusted_issuers());
        LocalVerifier local = new LocalVerifier(documents, clock, Duration.ofSeconds(config.clock_skew_seconds()),
                config.allow_weak_keys(), config.fallback_issuer().trim().toLowerCase(Locale.ROOT), trusted,
                config.max_delegations());
        String url = config.verifier_url().trim();
        RemoteVerifier remote = url.isEmpty() ? null
                : new RemoteVerifier(URI.create(url), trusted.stream().sorted().toList(), fetcher, timeout);
        this.verifiers = new Verifiers(local, remote);
        LOG.info("BrowserID verification: {}", remote == null ? "local" : "remote, " + URI.create(url).getHost());
    }

    /** A list from ConfigAdmin: an array, or one comma-separated string (what a .cfg file gives). */
    private static Set<String> normalised(String[] names) {
        return Arrays.stream(names).flatMap(name -> Arrays.stream(name.split(",")))
                .map(String::trim).filter(name -> !name.isEmpty())
                .map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** Local or remote, as configured: what the auth provider uses. */
    LocalVerifier.Verified verify(String assertion, String audience) throws BrowserIdException, VerifierUnavailable {
        Verifiers current = verifiers;
        return current.remote() != null ? current.remote().verify(assertion, audience)
                : current.local().verify(assertion, audience, Set.of());
    }

    /** Always local: what the verifier facade uses (it is a verifier). */
    LocalVerifier.Verified verifyLocally(String assertion, String audience, Set<String> trustedIssuers)
            throws BrowserIdException, VerifierUnavailable {
        return verifiers.local().verify(assertion, audience, trustedIssuers);
    }

}
