package org.openwebapps.marketplace;

import java.net.URI;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The Marketplace's sign-in, for its other modules' HTTP APIs: one token and one set of roles
 * across the store.
 */
@ProviderType
public interface Accounts {

    /**
     * @param authorization the request's {@code Authorization} header (a Marketplace token, {@code Bearer})
     * @param requestBase   the request's base URI (the site URL when none is configured)
     * @throws NotSignedInException no token, or a token that is forged, expired or not the Marketplace's
     */
    MarketplaceUser user(String authorization, URI requestBase) throws NotSignedInException;

    /** @return the store's public URL: {@code site.url}, else the request's origin */
    String siteUrl(URI requestBase);

    /** A request without a valid Marketplace token: answered 401. */
    final class NotSignedInException extends Exception {

        private static final long serialVersionUID = 1L;

        public NotSignedInException(String message) {
            super(message);
        }
    }
}
