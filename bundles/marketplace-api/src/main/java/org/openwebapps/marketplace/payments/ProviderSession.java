package org.openwebapps.marketplace.payments;

import java.util.Objects;

/**
 * A payment started at the provider.
 *
 * @param id          the provider's session id
 * @param redirectUrl where the buyer goes to pay
 */
public record ProviderSession(String id, String redirectUrl) {

    public ProviderSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(redirectUrl, "redirectUrl");
    }
}
