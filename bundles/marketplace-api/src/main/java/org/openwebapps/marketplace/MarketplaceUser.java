package org.openwebapps.marketplace;

import java.util.Objects;

/**
 * A signed-in user of the store.
 *
 * @param email    who
 * @param reviewer whether they are one of {@code reviewers}
 */
public record MarketplaceUser(String email, boolean reviewer) {

    public MarketplaceUser {
        Objects.requireNonNull(email, "email");
    }
}
