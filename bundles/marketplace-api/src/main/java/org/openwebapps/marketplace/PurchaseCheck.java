package org.openwebapps.marketplace;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whether a user has paid for a premium app: the install path asks before installing one. The
 * payments module registers it; with none registered every premium install is refused (402).
 */
@ConsumerType
public interface PurchaseCheck {

    /**
     * @return the user's purchase of the app that is {@code COMPLETED} (or {@code REFUND_PENDING}),
     *         or empty when there is none
     * @throws UnavailableException the purchases cannot be read now
     */
    Optional<CompletedPurchase> completedPurchase(String user, long appId) throws UnavailableException;

    /**
     * @param uuid     the purchase's id
     * @param receipts its current receipts ({@code <cert>~<receipt>}), written into the install's
     *                 AppSync record
     */
    record CompletedPurchase(String uuid, List<String> receipts) {

        public CompletedPurchase {
            receipts = List.copyOf(receipts);
        }
    }

    /** The check could not be made now: the caller answers 503 and the client retries. */
    final class UnavailableException extends Exception {

        private static final long serialVersionUID = 1L;

        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
