package org.openwebapps.marketplace.catalog.internal;

import java.time.Duration;
import java.util.Optional;

import org.openwebapps.fetch.OutboundFetcher;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/** The manifest fetcher as configured now, over whichever outbound fetcher is installed. */
@Component(service = ManifestFetching.class, configurationPid = ManifestFetching.PID)
@Designate(ocd = ManifestFetchConfiguration.class)
public final class ManifestFetching {

    static final String PID = "org.openwebapps.marketplace.fetch";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile OutboundFetcher outbound;

    private volatile ManifestFetcher.Limits limits;

    @Activate
    public ManifestFetching(ManifestFetchConfiguration config) {
        modified(config);
    }

    @Modified
    void modified(ManifestFetchConfiguration config) {
        if (config.timeout_ms() < 1 || config.max_bytes() < 1 || config.max_redirects() < 0) {
            throw new IllegalArgumentException("invalid " + PID + " configuration: limits must be positive");
        }
        limits = new ManifestFetcher.Limits(Duration.ofMillis(config.timeout_ms()), config.max_bytes(),
                config.max_redirects());
    }

    /** @return a fetcher with the current limits, or empty when no outbound fetcher is installed */
    Optional<ManifestFetcher> fetcher() {
        OutboundFetcher current = outbound;
        return current == null ? Optional.empty() : Optional.of(new ManifestFetcher(current, limits, System::nanoTime));
    }
}
