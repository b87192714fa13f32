package org.openwebapps.marketplace;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The Marketplace's apps, read from this node's index (at most about a second behind other nodes). */
@ProviderType
public interface Catalog {

    /** @return the app with this id in any status, or empty */
    Optional<MarketplaceApp> app(long id);
}
