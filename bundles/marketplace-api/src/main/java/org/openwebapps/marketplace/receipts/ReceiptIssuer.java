package org.openwebapps.marketplace.receipts;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Signs purchase receipts ({@code <cert>~<receipt>}, contract: spec/marketplace.md section 6).
 * Registered by the receipts module; while it is not installed purchases complete without a
 * receipt and premium installs wait (503).
 */
@ProviderType
public interface ReceiptIssuer {

    /**
     * @param product      what was bought
     * @param purchaseUuid the purchase's id, the receipt's directed identifier
     * @param siteUrl      the store's public URL: the receipt's issuer and its {@code verify} URL's base
     * @return a receipt valid from now for the configured expiry
     */
    String issue(Product product, String purchaseUuid, String siteUrl);

    /**
     * @return whether a receipt should be replaced before it is handed out again: past half its
     *         life, expired, or not one this store's format can read
     */
    boolean stale(String receipt);

    /**
     * @param appId the app's number ({@code storedata} {@code id=<appId>})
     * @param url   the app's origin
     */
    record Product(long appId, String url) {

        public Product {
            Objects.requireNonNull(url, "url");
        }
    }
}
