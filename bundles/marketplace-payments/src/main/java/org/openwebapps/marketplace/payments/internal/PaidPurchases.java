package org.openwebapps.marketplace.payments.internal;

import java.util.List;
import java.util.Optional;

import org.openwebapps.marketplace.PurchaseCheck;
import org.openwebapps.marketplace.receipts.ReceiptIssuer;
import org.openwebapps.storage.Condition;
import org.openwebapps.storage.Mutation;
import org.openwebapps.storage.PreconditionFailedException;
import org.openwebapps.storage.StorageBackend;
import org.openwebapps.storage.StorageException;
import org.openwebapps.storage.StorageUnavailableException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The purchases' storage and their receipts, and the {@link PurchaseCheck} the catalog's install
 * path and the receipt verifier ask. Apart from {@link Payments} because the catalog both offers
 * what payments need ({@code Catalog}) and asks this: one component for both would be a service
 * cycle. Always on the storage router, like every Marketplace record.
 */
@Component(service = {PaidPurchases.class, PurchaseCheck.class}, configurationPolicy = ConfigurationPolicy.IGNORE)
public final class PaidPurchases implements PurchaseCheck {

    @Reference(name = "storage", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(storage.name=router)")
    private volatile StorageBackend storage;

    @Reference(name = "receipts", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ReceiptIssuer receipts;

    private final PurchaseStore store = new PurchaseStore(this::backend);

    PurchaseStore store() {
        return store;
    }

    /** @return a new receipt for a paid purchase, or null while the receipts module is not installed */
    String issueReceipt(Purchase purchase, String siteUrl) {
        ReceiptIssuer issuer = receipts;
        if (issuer == null || purchase.origin() == null) {
            return null;
        }
        return issuer.issue(new ReceiptIssuer.Product(purchase.app(), purchase.origin()), purchase.uuid(), siteUrl);
    }

    @Override
    public Optional<CompletedPurchase> completedPurchase(String user, long appId) throws UnavailableException {
        try {
            return store.open(user, appId).map(PurchaseStore.Read::value).filter(Purchase::isPaid).map(PaidPurchases::completed);
        } catch (StorageException e) {
            throw new UnavailableException("purchases cannot be read now", e);
        }
    }

    @Override
    public Optional<CompletedPurchase> installablePurchase(String user, long appId, String siteUrl)
            throws UnavailableException {
        try {
            while (true) {
                Optional<PurchaseStore.Read<Purchase>> read = store.open(user, appId).filter(open -> open.value().isPaid());
                if (read.isEmpty()) {
                    return Optional.empty();
                }
                Purchase purchase = read.get().value();
                ReceiptIssuer issuer = receipts;
                if (issuer == null) {
                    throw new UnavailableException("receipts cannot be issued now: the receipts module is not installed", null);
                }
                if (purchase.receipt() != null && !issuer.stale(purchase.receipt())) {
                    return Optional.of(completed(purchase));
                }
                String receipt = issueReceipt(purchase, siteUrl);
                if (receipt == null) {
                    throw new UnavailableException("the purchase " + purchase.uuid() + " has no app origin to issue a receipt for", null);
                }
                Purchase renewed = purchase.withReceipt(receipt);
                try {
                    store.write(purchase.buyer(), List.of(Mutation.put(PurchaseStore.purchaseKey(purchase.uuid()),
                            renewed.toBytes(), Condition.match(read.get().etag()))));
                    return Optional.of(completed(renewed));
                } catch (PreconditionFailedException e) {
                    // changed meanwhile (refunded, another install's receipt): judge again
                }
            }
        } catch (StorageException e) {
            throw new UnavailableException("purchases cannot be read now", e);
        }
    }

    @Override
    public Optional<PurchaseStatus> status(String uuid) throws UnavailableException {
        if (uuid == null || !Payments.UUID_TEXT.matcher(uuid).matches()) {
            return Optional.empty();
        }
        try {
            return store.find(uuid).map(read -> new PurchaseStatus(uuid, read.value().app(), read.value().state()));
        } catch (StorageException e) {
            throw new UnavailableException("purchases cannot be read now", e);
        }
    }

    private static CompletedPurchase completed(Purchase purchase) {
        return new CompletedPurchase(purchase.uuid(), purchase.receipt() == null ? List.of() : List.of(purchase.receipt()));
    }

    private StorageBackend backend() throws StorageException {
        StorageBackend backend = storage;
        if (backend == null) {
            throw new StorageUnavailableException("no storage backend is installed", null);
        }
        return backend;
    }
}
