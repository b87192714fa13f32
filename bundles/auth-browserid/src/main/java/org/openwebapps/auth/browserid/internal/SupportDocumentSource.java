package org.openwebapps.auth.browserid.internal;

import org.openwebapps.browserid.BrowserIdException;

/** Where support documents come from: HTTPS in production, a map in unit tests. */
@FunctionalInterface
interface SupportDocumentSource {

    /**
     * @param domain          the domain whose {@code /.well-known/browserid} to read
     * @param principalDomain the email domain being asked about (the {@code ?domain=} parameter)
     * @return the document
     * @throws BrowserIdException the domain is not a primary (no document, transport failure,
     *                            bad document): the reason says which
     */
    SupportDocument fetch(String domain, String principalDomain) throws BrowserIdException;
}
