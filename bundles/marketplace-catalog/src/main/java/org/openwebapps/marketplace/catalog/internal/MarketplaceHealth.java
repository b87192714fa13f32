package org.openwebapps.marketplace.catalog.internal;

import org.openwebapps.health.HealthCheck;
import org.openwebapps.health.HealthResult;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code marketplace}: the catalog has storage and its index has read the catalog. */
@Component
public final class MarketplaceHealth implements HealthCheck {

    private final Marketplace marketplace;

    @Activate
    public MarketplaceHealth(@Reference Marketplace marketplace) {
        this.marketplace = marketplace;
    }

    @Override
    public String name() {
        return "marketplace";
    }

    @Override
    public HealthResult check() {
        return marketplace.storageAvailable() ? HealthResult.ok() : HealthResult.failed("the Marketplace has no healthy storage");
    }
}
