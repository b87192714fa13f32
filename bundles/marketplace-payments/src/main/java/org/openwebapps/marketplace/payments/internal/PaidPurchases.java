package org.openwebapps.marketplace.payments.internal;

import java.util.List;
import java.util.Optional;

import org.openwebapps.marketplace.PurchaseCheck;
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
 * The purchases' storage, and the {@link PurchaseCheck} the catalog's install path asks. Apart
 * from {@link Payments} because the catalog both offers what payments need ({@code Catalog}) and
 * asks this: one component for both would be a service cycle. Always on the storage router, like
 * every Marketplace record.
 */
@Component(service = {PaidPurchases.class, PurchaseCheck.class}, configurationPolicy = ConfigurationPolicy.IGNORE)
public final class PaidPurchases implements PurchaseCheck {

    @Reference(name = "storage", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(storage.name=router)")
    private volatile StorageBackend storage;

    private final PurchaseStore store = new PurchaseStore(this::backend);

    PurchaseStore store() {
        return store;
    }

    @Override
    public Optional<CompletedPurchase> completedPurchase(String user, long appId) throws UnavailableException {
        try {
            return store.open(user, appId).map(PurchaseStore.Read::value).filter(Purchase::isPaid)
                    .map(purchase -> new CompletedPurchase(purchase.uuid(),
                            purchase.receipt() == null ? List.of() : List.of(purchase.receipt())));
        } catch (StorageException e) {
            throw new UnavailableException("purchases cannot be read now", e);
        }
    }

    private StorageBackend backend() throws StorageException {
        StorageBackend backend = storage;
        if (backend == null) {
            throw new StorageUnavailableException("no storage backend is installed", null);
        }
        return backend;
    }
}
