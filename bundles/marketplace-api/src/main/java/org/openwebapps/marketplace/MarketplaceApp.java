package org.openwebapps.marketplace;

import java.util.Objects;

/**
 * An app as the catalog holds it, for the Marketplace's other modules (payments, receipts).
 *
 * @param id          the app's number, stable for its life
 * @param slug        its unique URL name
 * @param name        its name in the default locale
 * @param origin      its origin, {@code scheme://host[:port]}: the app's unique key
 * @param manifestUrl where its manifest was fetched
 * @param status      {@code incomplete}, {@code pending}, {@code public}, {@code rejected} or {@code disabled}
 * @param premiumType {@code free}, {@code premium} or {@code free-inapp}
 * @param priceTier   the price tier of a premium app, else {@code null}
 * @param owner       the email of the developer who submitted it
 */
public record MarketplaceApp(long id, String slug, String name, String origin, String manifestUrl, String status,
        String premiumType, Integer priceTier, String owner) {

    public MarketplaceApp {
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(premiumType, "premiumType");
        Objects.requireNonNull(owner, "owner");
    }

    public boolean isPublic() {
        return "public".equals(status);
    }

    public boolean isPremium() {
        return "premium".equals(premiumType);
    }
}
