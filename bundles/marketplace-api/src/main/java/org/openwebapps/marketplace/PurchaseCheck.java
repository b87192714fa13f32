package org.openwebapps.marketplace;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What the install path and the receipt verifier ask about purchases. The payments module
 * registers it; with none registered every premium install is refused (402) and no receipt
 * verifies.
 */
@ConsumerType
public interface PurchaseCheck {

    /**
     * @return the user's purchase of the app that is {@code COMPLETED} (or {@code REFUND_PENDING})
     *         with the receipts it holds, or empty when there is none
     * @throws UnavailableException the purchases cannot be read now
     */
    Optional<CompletedPurchase> completedPurchase(String user, long appId) throws UnavailableException;

    /**
     * The same purchase with a current receipt, for an install: one is issued (and kept with the
     * purchase) when it holds none or one past half its life.
     *
     * @param siteUrl the store's public URL, the issuer of the receipt
     * @throws UnavailableException the purchases cannot be read now, or no receipt can be issued
     *                              (the receipts module is not installed)
     */
    Optional<CompletedPurchase> installablePurchase(String user, long appId, String siteUrl) throws UnavailableException;

    /**
     * @param uuid a purchase's id (a receipt's directed identifier)
     * @return the purchase's app and state, or empty when there is no such purchase
     * @throws UnavailableException the purchases cannot be read now
     */
    Optional<PurchaseStatus> status(String uuid) throws UnavailableException;

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

    /**
     * @param state {@code PENDING}, {@code COMPLETED}, {@code FAILED}, {@code CANCELLED},
     *              {@code REFUND_PENDING}, {@code REFUNDED} or {@code CHARGEBACK}
     */
    record PurchaseStatus(String uuid, long app, String state) {
    }

    /** The check could not be made now: the caller answers 503 and the client retries. */
    final class UnavailableException extends Exception {

        private static final long serialVersionUID = 1L;

        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
