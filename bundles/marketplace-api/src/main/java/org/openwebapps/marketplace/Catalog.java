package org.openwebapps.marketplace;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The Marketplace's apps, read from this node's index (at most about a second behind other nodes). */
@ProviderType
public interface Catalog {

    /** @return the app with this id in any status, or empty */
    Optional<MarketplaceApp> app(long id);

    /** @return the configured price of a tier ({@code price.tiers}, {@code price.currency}), or empty */
    Optional<Price> price(int tier);

    /** A price tier's amount. */
    record Price(BigDecimal amount, String currency) {

        public Price {
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(currency, "currency");
        }
    }
}
