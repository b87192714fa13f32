package org.openwebapps.marketplace.payments;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a buyer pays for.
 *
 * @param uuid     the purchase's id: the order id the provider's notifications name
 * @param app      the app's id
 * @param appName  its name, for the provider's pages
 * @param amount   the price tier's amount at purchase time
 * @param currency ISO 4217
 * @param siteUrl  the store's public URL ({@code site.url}), for links back to it
 */
public record Order(String uuid, long app, String appName, BigDecimal amount, String currency, String siteUrl) {

    public Order {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(siteUrl, "siteUrl");
    }
}
