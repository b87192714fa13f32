package org.openwebapps.auth.browserid.internal;

/**
 * No verdict for now: the remote verifier could not be asked, or the outbound fetcher is busy.
 * The client should try again later (503 with {@code Retry-After}); never cached, never a rejection.
 */
final class VerifierUnavailable extends Exception {

    private static final long serialVersionUID = 1L;

    VerifierUnavailable(String reason) {
        super(reason, null, false, false);
    }
}
