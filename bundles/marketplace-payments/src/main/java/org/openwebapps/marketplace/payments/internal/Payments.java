package org.openwebapps.marketplace.payments.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.openwebapps.marketplace.Catalog;
import org.openwebapps.marketplace.MarketplaceApp;
import org.openwebapps.marketplace.MarketplaceUser;
import org.openwebapps.marketplace.payments.Order;
import org.openwebapps.marketplace.payments.PaymentException;
import org.openwebapps.marketplace.payments.PaymentProvider;
import org.openwebapps.marketplace.payments.ProviderSession;
import org.openwebapps.marketplace.payments.VerifiedEvent;
import org.openwebapps.storage.Condition;
import org.openwebapps.storage.Mutation;
import org.openwebapps.storage.PreconditionFailedException;
import org.openwebapps.storage.RecordNotFoundException;
import org.openwebapps.storage.StorageException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Purchases (contract: spec/marketplace.md section 5): prepare, cancel and refund for buyers and
 * reviewers, notifications from providers stored and then judged against the state machine of
 * {@link Purchase}. Providers come and go
 * ({@code feature:uninstall openwebapps-payments-fake}): without one, whatever needs a provider
 * answers 503 {@code payments_unavailable} and everything else keeps working.
 */
@Component(service = Payments.class, configurationPid = Payments.PID)
@Designate(ocd = PaymentsConfiguration.class)
public final class Payments {

    static final String PID = "org.openwebapps.marketplace.payments";
    private static final Logger LOG = LoggerFactory.getLogger(Payments.class);
    static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** Largest notification body. */
    static final int MAX_NOTIFICATION_BYTES = 64 * 1024;

    /** A provider and what orders it among others. */
    private record Registered(PaymentProvider provider, int ranking, long serviceId) {
    }

    /** What a notification came to: the HTTP status and the body (the transaction id, or an error). */
    record Judged(int status, String transactionId) {
    }

    private final Catalog catalog;
    private final Clock clock = Clock.systemUTC();
    private final PaidPurchases purchases;
    private final PurchaseStore store;
    private final Map<String, Registered> providers = new ConcurrentHashMap<>();
    private volatile PaymentsConfiguration config;

    @Activate
    public Payments(@Reference Catalog catalog, @Reference PaidPurchases purchases, PaymentsConfiguration config) {
        this.catalog = catalog;
        this.purchases = purchases;
        this.store = purchases.store();
        modified(config);
    }

    @Modified
    void modified(PaymentsConfiguration config) {
        if (config.refund_window_seconds() < 0 || config.retry_after_seconds() < 0) {
            throw new IllegalArgumentException("invalid " + PID + " configuration: times must not be negative");
        }
        this.config = config;
    }

    @Reference(name = "provider", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + PaymentProvider.NAME + "=*)")
    void addProvider(PaymentProvider provider, Map<String, Object> properties) {
        String name = String.valueOf(properties.get(PaymentProvider.NAME));
        providers.put(name, new Registered(provider, properties.get("service.ranking") instanceof Integer ranking
                ? ranking : 0, (Long) properties.get("service.id")));
        LOG.info("Payment provider {} available", name);
    }

    void removeProvider(PaymentProvider provider, Map<String, Object> properties) {
        String name = String.valueOf(properties.get(PaymentProvider.NAME));
        if (providers.computeIfPresent(name, (key, registered) -> registered.provider() == provider ? null : registered) == null) {
            LOG.info("Payment provider {} gone", name);
        }
    }

    int retryAfterSeconds() {
        return config.retry_after_seconds();
    }

    // --- buyers ---------------------------------------------------------------------------------------

    /** What {@link #prepare} answers: the purchase, where to pay, and whether it was created now. */
    record Prepared(Purchase purchase, String redirectUrl, boolean created) {
    }

    Prepared prepare(MarketplaceUser user, long appId, String siteUrl) throws PaymentsException {
        MarketplaceApp app = catalog.app(appId).orElseThrow(() -> PaymentsException.notFound("no such app"));
        if (!app.isPublic()) {
            if (!user.email().equalsIgnoreCase(app.owner()) && !user.reviewer()) {
                throw PaymentsException.notFound("no such app");
            }
            throw new PaymentsException(403, "app_not_public", "the app is not public");
        }
        if (!app.isPremium()) {
            throw new PaymentsException(400, "app_not_premium", "the app is not premium");
        }
        Catalog.Price price = Optional.ofNullable(app.priceTier()).flatMap(catalog::price)
                .orElseThrow(() -> new PaymentsException(400, "bad_price_tier", "the app's price tier is not configured"));
        String providerName = defaultProvider()
                .orElseThrow(() -> PaymentsException.paymentsUnavailable("no payment provider is installed"));
        try {
            while (true) {
                Optional<PurchaseStore.Read<Purchase>> open = store.open(user.email(), app.id());
                if (open.isPresent()) {
                    Purchase existing = open.get().value();
                    if (!existing.state().equals(Purchase.PENDING)) {
                        throw new PaymentsException(409, "already_purchased", "the app is already purchased");
                    }
                    return new Prepared(existing, session(open.get(), app, siteUrl), false);
                }
                String uuid = UUID.randomUUID().toString();
                Purchase started = Purchase.started(uuid, app.id(), app.origin(), user.email(), providerName, price.amount(),
                        price.currency(), app.priceTier(), clock.millis());
                store.writeLookup(uuid, user.email(), app.id());
                String etag;
                try {
                    etag = store.write(user.email(), List.of(
                            Mutation.put(PurchaseStore.openKey(app.id()), PurchaseStore.bytes(Map.of("uuid", uuid)), Condition.absent()),
                            Mutation.put(PurchaseStore.purchaseKey(uuid), started.toBytes(), Condition.absent())));
                } catch (PreconditionFailedException e) {
                    continue; // another prepare of this app by this buyer won: answer with theirs
                }
                return new Prepared(started, session(new PurchaseStore.Read<>(started, etag), app, siteUrl), true);
            }
        } catch (StorageException e) {
            throw storageFailed(e);
        }
    }

    /** The provider's session for a pending purchase (the same one for the same purchase), kept with it. */
    private String session(PurchaseStore.Read<Purchase> read, MarketplaceApp app, String siteUrl)
            throws PaymentsException, StorageException {
        Purchase purchase = read.value();
        Registered registered = providers.get(purchase.provider());
        if (registered == null) {
            throw PaymentsException.paymentsUnavailable("the purchase's payment provider is not installed");
        }
        ProviderSession session;
        try {
            session = registered.provider().prepare(new Order(purchase.uuid(), app.id(), app.name(), purchase.amount(),
                    purchase.currency(), siteUrl), purchase.uuid());
        } catch (PaymentException e) {
            LOG.warn("Payment provider {} cannot prepare purchase {}: {}", purchase.provider(), purchase.uuid(), e.getMessage());
            throw PaymentsException.paymentsUnavailable("the payment provider cannot start the payment now");
        }
        if (!session.id().equals(purchase.sessionId()) || !session.redirectUrl().equals(purchase.redirectUrl())) {
            try {
                store.write(purchase.buyer(), List.of(Mutation.put(PurchaseStore.purchaseKey(purchase.uuid()),
                        purchase.withSession(session.id(), session.redirectUrl()).toBytes(), Condition.match(read.etag()))));
            } catch (PreconditionFailedException e) {
                // changed meanwhile (paid, cancelled): the session is the provider's to remember
            }
        }
        return session.redirectUrl();
    }

    /** @return the purchase for its buyer or a reviewer; others get 404 */
    Purchase get(MarketplaceUser user, String uuid) throws PaymentsException {
        return visible(user, uuid).value();
    }

    Purchase cancel(MarketplaceUser user, String uuid) throws PaymentsException {
        try {
            while (true) {
                PurchaseStore.Read<Purchase> read = visible(user, uuid);
                Purchase purchase = read.value();
                if (!purchase.buyer().equals(user.email())) {
                    throw PaymentsException.notFound("no such purchase");
                }
                if (!purchase.state().equals(Purchase.PENDING)) {
                    throw PaymentsException.state(purchase.state());
                }
                Purchase cancelled = purchase.withState(Purchase.CANCELLED, clock.millis());
                try {
                    store.write(purchase.buyer(), closing(read, cancelled, List.of()));
                    return cancelled;
                } catch (PreconditionFailedException | RecordNotFoundException e) {
                    // changed meanwhile: judge again
                }
            }
        } catch (StorageException e) {
            throw storageFailed(e);
        }
    }

    Purchase refund(MarketplaceUser user, String uuid, String reason) throws PaymentsException {
        try {
            while (true) {
                PurchaseStore.Read<Purchase> read = visible(user, uuid);
                Purchase purchase = read.value();
                boolean buyer = purchase.buyer().equals(user.email());
                if (!buyer && !user.reviewer()) {
                    throw PaymentsException.notFound("no such purchase");
                }
                if (!purchase.state().equals(Purchase.COMPLETED)) {
                    throw PaymentsException.state(purchase.state());
                }
                if (!user.reviewer() && clock.millis() > purchase.completed() + config.refund_window_seconds() * 1000) {
                    throw new PaymentsException(403, "refund_window_passed", "the refund window has passed");
                }
                Registered registered = providers.get(purchase.provider());
                if (registered == null) {
                    throw PaymentsException.paymentsUnavailable("the purchase's payment provider is not installed");
                }
                Purchase pending = purchase.withState(Purchase.REFUND_PENDING, clock.millis());
                try {
                    store.write(purchase.buyer(), List.of(Mutation.put(PurchaseStore.purchaseKey(uuid), pending.toBytes(),
                            Condition.match(read.etag()))));
                } catch (PreconditionFailedException e) {
                    continue; // changed meanwhile: judge again
                }
                try {
                    registered.provider().refund(purchase.transactionId(), purchase.amount(),
                            reason == null ? (buyer ? "buyer" : "reviewer") : reason);
                } catch (PaymentException e) {
                    LOG.warn("Payment provider {} refuses the refund of {}: {}", purchase.provider(), uuid, e.getMessage());
                    undoRefund(purchase.buyer(), uuid);
                    throw PaymentsException.paymentsUnavailable("the payment provider cannot refund now");
                }
                return pending;
            }
        } catch (StorageException e) {
            throw storageFailed(e);
        }
    }

    /** The provider did not take the refund: back to {@code COMPLETED}, unless a notification moved it on. */
    private void undoRefund(String buyer, String uuid) throws StorageException {
        while (true) {
            Optional<PurchaseStore.Read<Purchase>> read = store.get(buyer, uuid);
            if (read.isEmpty() || !read.get().value().state().equals(Purchase.REFUND_PENDING)) {
                return;
            }
            Purchase restored = read.get().value().withState(Purchase.COMPLETED, clock.millis());
            try {
                store.write(buyer, List.of(Mutation.put(PurchaseStore.purchaseKey(uuid), restored.toBytes(),
                        Condition.match(read.get().etag()))));
                return;
            } catch (PreconditionFailedException e) {
                // changed meanwhile: look again
            }
        }
    }

    List<Purchase> purchasesOf(MarketplaceUser user) throws PaymentsException {
        try {
            return store.list(user.email());
        } catch (StorageException e) {
            throw storageFailed(e);
        }
    }

    /** @param purchase a purchase's uuid, or null for every event */
    List<PaymentEvent> events(MarketplaceUser user, String purchase, int limit) throws PaymentsException {
        if (!user.reviewer()) {
            throw new PaymentsException(403, "forbidden", "only reviewers see payment events");
        }
        try {
            if (purchase == null) {
                return store.events(limit);
            }
            PurchaseStore.Read<Purchase> read = visible(user, purchase);
            return store.events(read.value().buyer(), purchase, limit);
        } catch (StorageException e) {
            throw storageFailed(e);
        }
    }

    private PurchaseStore.Read<Purchase> visible(MarketplaceUser user, String uuid) throws PaymentsException {
        if (uuid == null || !UUID_TEXT.matcher(uuid).matches()) {
            throw PaymentsException.notFound("no such purchase");
        }
        try {
            Optional<PurchaseStore.Read<Purchase>> read = store.find(uuid);
            if (read.isEmpty() || !(read.get().value().buyer().equals(user.email()) || user.reviewer())) {
                throw PaymentsException.notFound("no such purchase");
            }
            return read.get();
        } catch (StorageException e) {
            throw storageFailed(e);
        }
    }

    // --- providers ------------------------------------------------------------------------------------

    /**
     * Stores the raw notification, then judges it: unproven 400, allowed 200, the same again 200
     * without effect, anything else 409 with the purchase flagged for review.
     *
     * @param headers names in lower case
     * @param siteUrl the store's public URL, the issuer of the receipt of a purchase this completes
     */
    Judged notify(String providerName, Map<String, List<String>> headers, byte[] body, String siteUrl)
            throws PaymentsException {
        if (providers.isEmpty()) {
            throw PaymentsException.paymentsUnavailable("no payment provider is installed");
        }
        Registered registered = providers.get(providerName);
        if (registered == null) {
            throw PaymentsException.notFound("no such payment provider");
        }
        PaymentEvent event = PaymentEvent.received(providerName, body, clock.millis() * 1000 + System.nanoTime() / 1000 % 1000);
        try {
            store.writeEvent(event);
        } catch (StorageException e) {
            throw storageFailed(e);
        }
        VerifiedEvent verified;
        try {
            verified = registered.provider().parseNotification(headers, body);
        } catch (PaymentException e) {
            if (e.kind() == PaymentException.Kind.UNAVAILABLE) {
                throw PaymentsException.paymentsUnavailable("the payment provider cannot judge the notification now");
            }
            try {
                record(event.judged("rejected", null, null, null));
            } catch (StorageException stored) {
                LOG.warn("Payment event {} is rejected but stays 'received': {}", event.id(), stored.getMessage());
            }
            throw new PaymentsException(400, "bad_notification", "the notification is not proven: " + e.getMessage());
        }
        try {
            return judge(providerName, event, verified, siteUrl);
        } catch (StorageException e) {
            throw storageFailed(e);
        }
    }

    private Judged judge(String providerName, PaymentEvent event, VerifiedEvent verified, String siteUrl)
            throws StorageException, PaymentsException {
        String kind = verified.kind().name();
        while (true) {
            Optional<PurchaseStore.Read<Purchase>> read = UUID_TEXT.matcher(verified.orderId()).matches()
                    ? store.find(verified.orderId()) : Optional.empty();
            if (read.isEmpty()) {
                record(event.judged("conflict", kind, verified.transactionId(), null));
                throw conflict("no such order");
            }
            Purchase purchase = read.get().value();
            String proof = PurchaseStore.proofKey(providerName, verified.transactionId(), kind);
            if (store.proven(purchase.buyer(), proof)) {
                store.write(purchase.buyer(), List.of(PurchaseStore.eventIndex(purchase.uuid(), event)));
                record(event.judged("duplicate", kind, verified.transactionId(), purchase.uuid()));
                return new Judged(200, verified.transactionId());
            }
            String next = purchase.provider().equals(providerName) ? purchase.after(verified) : null;
            long now = clock.millis();
            try {
                if (next == null) {
                    store.write(purchase.buyer(), List.of(Mutation.put(PurchaseStore.purchaseKey(purchase.uuid()),
                            purchase.flagged(now).toBytes(), Condition.match(read.get().etag())),
                            PurchaseStore.eventIndex(purchase.uuid(), event)));
                    record(event.judged("conflict", kind, verified.transactionId(), purchase.uuid()));
                    LOG.warn("Payment notification {} conflicts with purchase {} ({} while {}): flagged for review",
                            event.id(), purchase.uuid(), kind, purchase.state());
                    throw conflict(kind + " is not allowed while the purchase is " + purchase.state());
                }
                Purchase moved = next.equals(Purchase.COMPLETED)
                        ? paid(purchase, verified.transactionId(), now, siteUrl) : purchase.withState(next, now);
                List<Mutation> more = List.of(
                        Mutation.put(proof, PurchaseStore.bytes(Map.of("event", event.id())), Condition.absent()),
                        PurchaseStore.eventIndex(purchase.uuid(), event));
                store.write(purchase.buyer(), moved.isOpen() ? withPurchase(read.get(), moved, more) : closing(read.get(), moved, more));
                record(event.judged("applied", kind, verified.transactionId(), purchase.uuid()));
                return new Judged(200, verified.transactionId());
            } catch (PreconditionFailedException | RecordNotFoundException e) {
                // changed meanwhile (perhaps by this very notification, sent twice): judge again
            }
        }
    }

    /**
     * Completed, with its receipt in the same write; without the receipts module none yet (the
     * first install issues it).
     */
    private Purchase paid(Purchase purchase, String transactionId, long now, String siteUrl) {
        Purchase completed = purchase.paid(transactionId, now);
        String receipt;
        try {
            receipt = purchases.issueReceipt(completed, siteUrl);
        } catch (RuntimeException e) {
            LOG.warn("No receipt for purchase {} yet (its first install issues one): {}", purchase.uuid(), e.toString());
            receipt = null;
        }
        return receipt == null ? completed : completed.withReceipt(receipt);
    }

    private static List<Mutation> withPurchase(PurchaseStore.Read<Purchase> read, Purchase moved, List<Mutation> more) {
        List<Mutation> mutations = new ArrayList<>();
        mutations.add(Mutation.put(PurchaseStore.purchaseKey(moved.uuid()), moved.toBytes(), Condition.match(read.etag())));
        mutations.addAll(more);
        return mutations;
    }

    /** The purchase moved to a state that is not open: its {@code open/} key goes in the same batch. */
    private static List<Mutation> closing(PurchaseStore.Read<Purchase> read, Purchase moved, List<Mutation> more) {
        List<Mutation> mutations = withPurchase(read, moved, more);
        mutations.add(Mutation.delete(PurchaseStore.openKey(moved.app())));
        return mutations;
    }

    private void record(PaymentEvent judged) throws StorageException {
        store.updateEvent(judged);
    }

    private static PaymentsException conflict(String message) {
        return new PaymentsException(409, "notification_conflict", message);
    }

    // ---------------------------------------------------------------------------------------------------

    private Optional<String> defaultProvider() {
        return providers.entrySet().stream()
                .max(Comparator.comparingInt((Map.Entry<String, Registered> entry) -> entry.getValue().ranking())
                        .thenComparing(entry -> -entry.getValue().serviceId()))
                .map(Map.Entry::getKey);
    }

    private static PaymentsException storageFailed(StorageException e) {
        LOG.debug("Payments storage failed: {}", e.getMessage());
        return PaymentsException.storageUnavailable("purchases cannot be stored now");
    }
}
