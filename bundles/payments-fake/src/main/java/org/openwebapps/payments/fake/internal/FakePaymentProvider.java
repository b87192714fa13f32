package org.openwebapps.payments.fake.internal;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.openwebapps.fetch.FetchException;
import org.openwebapps.fetch.FetchRequest;
import org.openwebapps.fetch.FetchResponse;
import org.openwebapps.fetch.OutboundFetcher;
import org.openwebapps.marketplace.payments.Order;
import org.openwebapps.marketplace.payments.PaymentException;
import org.openwebapps.marketplace.payments.PaymentProvider;
import org.openwebapps.marketplace.payments.ProviderSession;
import org.openwebapps.marketplace.payments.VerifiedEvent;
import org.openwebapps.rest.Loopback;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.runtime.HttpServiceRuntimeConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A payment provider for development and tests ({@code payment.provider=fake}): a session per
 * order, whose page's actions ({@link Action}) deliver signed notifications to the Marketplace at
 * once (through the outbound fetcher: its rules decide whether the notify URL may be reached).
 * Nobody pays anything, so it refuses to start unless HTTP listens on loopback only. Sessions
 * live in memory (a restart forgets them; the purchases are the Marketplace's and stay).
 */
@Component(service = {PaymentProvider.class, FakePaymentProvider.class}, configurationPid = FakePaymentProvider.PID,
        property = PaymentProvider.NAME + "=" + FakePaymentProvider.NAME)
@Designate(ocd = FakePaymentsConfiguration.class)
public final class FakePaymentProvider implements PaymentProvider {

    static final String PID = "org.openwebapps.payments.fake";
    static final String NAME = "fake";
    static final String SESSIONS = "/payments-fake/sessions/";
    private static final Logger LOG = LoggerFactory.getLogger(FakePaymentProvider.class);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(10);

    /** What a session page can do. */
    enum Action {
        PAY, FAIL, REFUND, CHARGEBACK, REPEAT, CONFLICT;

        static Optional<Action> named(String name) {
            for (Action action : values()) {
                if (action.name().equalsIgnoreCase(name)) {
                    return Optional.of(action);
                }
            }
            return Optional.empty();
        }
    }

    /** One order's session, changed under its own lock. */
    static final class Session {
        final String id;
        final Order order;
        final String notifyUrl;
        String transactionId;
        String lastNotification;
        final List<String> refundsAsked = new ArrayList<>();

        Session(String id, Order order, String notifyUrl) {
            this.id = id;
            this.order = order;
            this.notifyUrl = notifyUrl;
        }
    }

    /** What an action did: the contract's answer of {@code POST sessions/{id}}. */
    record Delivery(String action, String transactionId, String notification, int deliveredStatus, String deliveredBody) {
    }

    private final Notifications notifications;
    private final String notifyUrl;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, String> sessionByOrder = new ConcurrentHashMap<>();
    private final OutboundFetcher fetcher;

    @Activate
    public FakePaymentProvider(FakePaymentsConfiguration config, @Reference OutboundFetcher fetcher,
            @Reference(service = HttpServiceRuntime.class) Map<String, Object> runtime) {
        List<URI> endpoints = Loopback.endpoints(runtime.get(HttpServiceRuntimeConstants.HTTP_SERVICE_ENDPOINT));
        if (!Loopback.only(endpoints)) {
            throw new IllegalStateException("the fake payment provider refuses to start: the HTTP server listens on "
                    + endpoints + ", not on loopback only (set OWA_HTTP_HOST=127.0.0.1)");
        }
        byte[] secret;
        if (config._secret().isEmpty()) {
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
        } else {
            secret = config._secret().getBytes(StandardCharsets.UTF_8);
        }
        this.fetcher = fetcher;
        this.notifications = new Notifications(secret);
        this.notifyUrl = config.notify_url().isBlank() ? null : config.notify_url().trim();
        LOG.warn("Fake payment provider active: its session pages complete payments without money");
    }

    @Override
    public ProviderSession prepare(Order order, String idempotencyKey) {
        String id = sessionByOrder.computeIfAbsent(idempotencyKey, key -> {
            String created = UUID.randomUUID().toString();
            String target = notifyUrl != null ? notifyUrl : order.siteUrl() + "/marketplace/api/v1" + Notifications.NOTIFY_PATH;
            sessions.put(created, new Session(created, order, target));
            return created;
        });
        return new ProviderSession(id, order.siteUrl() + SESSIONS + id);
    }

    @Override
    public VerifiedEvent parseNotification(Map<String, List<String>> headers, byte[] body) throws PaymentException {
        return notifications.prove(body, System.currentTimeMillis());
    }

    @Override
    public void refund(String transactionId, BigDecimal amount, String reason) {
        for (Session session : sessions.values()) {
            synchronized (session) {
                if (transactionId.equals(session.transactionId)) {
                    session.refundsAsked.add(amount.toPlainString() + " (" + reason + ")");
                }
            }
        }
        LOG.info("Fake payment provider: refund of {} asked", transactionId);
    }

    Optional<Session> session(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    /** Performs the action: signs its notification and delivers it to the notify URL, waiting for the answer. */
    Delivery act(Session session, Action action) {
        String notification;
        String transaction;
        synchronized (session) {
            if (action == Action.REPEAT) {
                if (session.lastNotification == null) {
                    throw new IllegalStateException("nothing to repeat yet");
                }
                notification = session.lastNotification;
                transaction = session.transactionId;
            } else {
                if (session.transactionId == null) {
                    session.transactionId = "fake-" + UUID.randomUUID();
                }
                transaction = action == Action.CONFLICT ? "fake-" + UUID.randomUUID() : session.transactionId;
                VerifiedEvent.Kind kind = switch (action) {
                    case PAY, CONFLICT -> VerifiedEvent.Kind.PAID;
                    case FAIL -> VerifiedEvent.Kind.FAILED;
                    case REFUND -> VerifiedEvent.Kind.REFUNDED;
                    case CHARGEBACK -> VerifiedEvent.Kind.CHARGEBACK;
                    case REPEAT -> throw new AssertionError();
                };
                notification = notifications.sign(new VerifiedEvent(kind, transaction, session.order.uuid(),
                        session.order.amount(), session.order.currency()), session.notifyUrl, System.currentTimeMillis());
                session.lastNotification = notification;
            }
        }
        String name = action.name().toLowerCase();
        try {
            FetchResponse answer = fetcher.fetch(FetchRequest.post(URI.create(session.notifyUrl), "application/jwt",
                    notification.getBytes(StandardCharsets.US_ASCII)).withDeadline(DELIVERY_TIMEOUT));
            return new Delivery(name, transaction, notification, answer.status(), new String(answer.body(), StandardCharsets.UTF_8));
        } catch (FetchException | IllegalArgumentException e) {
            return new Delivery(name, transaction, notification, 0, "delivery failed: " + e.getMessage());
        }
    }
}
