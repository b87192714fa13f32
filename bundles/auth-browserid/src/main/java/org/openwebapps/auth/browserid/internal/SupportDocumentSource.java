package org.openwebapps.auth.browserid.internal;

import org.openwebapps.browserid.BrowserIdException;

/** Where support documents come from: the outbound fetcher in production, a map in some unit tests. */
@FunctionalInterface
interface SupportDocumentSource {

    /**
     * @param domain          the domain whose {@code /.well-known/browserid} to read
     * @param principalDomain the email domain being asked about (the {@code ?domain=} parameter)
     * @return the document
     * @throws BrowserIdException the domain is not a primary (no document, transport failure,
     *                            bad document): the reason says which
     * @throws VerifierUnavailable no answer for now (the outbound fetcher is busy)
     */
    SupportDocument fetch(String domain, String principalDomain) throws BrowserIdException, VerifierUnavailable;
}
