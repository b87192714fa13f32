package org.openwebapps.fetch;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Fetches URLs that clients named, under the server's outbound rules (see the package). One
 * implementation serves the whole server, so its limits hold for all callers together.
 */
@ProviderType
public interface OutboundFetcher {

    /**
     * @return the answer, whatever its status (a 3xx is returned as is unless the request asks to
     *         follow redirects)
     * @throws FetchException refused by the rules, failed in transport or past the deadline,
     *         larger than allowed, or the fetcher is busy
     */
    FetchResponse fetch(FetchRequest request) throws FetchException;

    /**
     * @return whether {@code host} (a host name or address literal, with the URL's {@code port})
     *         may be fetched over plain HTTP: a configured development host. Callers that build
     *         URLs from a bare domain use it to choose the scheme.
     */
    boolean allowsPlainHttp(String host, int port);
}
