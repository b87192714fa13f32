package org.openwebapps.auth.core.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.openwebapps.auth.AuthProvider;
import org.openwebapps.auth.AuthenticationException;
import org.openwebapps.auth.AuthenticationException.Kind;
import org.openwebapps.auth.Authenticator;
import org.openwebapps.auth.Credential;
import org.openwebapps.auth.Identity;
import org.openwebapps.metrics.Counter;
import org.openwebapps.metrics.MeterSlot;
import org.openwebapps.metrics.Meters;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The {@link Authenticator}: tracks every {@link AuthProvider} service and hands a credential to
 * the highest-ranked provider of its type (lowest service id on a tie, as OSGi orders services).
 * Providers come and go at runtime; a credential whose type has no provider fails as
 * {@link Kind#NO_PROVIDER}.
 */
@Component
public final class ProviderAuthenticator implements Authenticator {

    private record Entry(String type, int ranking, long serviceId, AuthProvider provider) {
    }

    private static final Comparator<Entry> BEST_FIRST = Comparator.comparingInt(Entry::ranking).reversed()
            .thenComparingLong(Entry::serviceId);

    private final List<Entry> providers = new CopyOnWriteArrayList<>();
    private final MeterSlot<Counter> signIns = new MeterSlot<>(meters -> meters.counter("owa_auth_sign_ins",
            "Credentials checked, by type and outcome (ok, rejected, no_provider, unavailable)", "type", "outcome"));

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addProvider(AuthProvider provider, Map<String, Object> properties) {
        Object type = properties.get(AuthProvider.TYPE);
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        providers.add(new Entry(type == null ? "" : type.toString(), ranking instanceof Integer r ? r : 0,
                (Long) properties.get(Constants.SERVICE_ID), provider));
    }

    void removeProvider(AuthProvider provider) {
        providers.removeIf(entry -> entry.provider() == provider);
    }

    /** Optional: sign-ins are counted while the metrics feature is installed. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindMeters(Meters meters) {
        signIns.bind(meters);
    }

    void unbindMeters(Meters meters) {
        signIns.unbind(meters);
    }

    @Override
    public Identity authenticate(Credential credential) throws AuthenticationException {
        Entry chosen = providers.stream()
                .filter(entry -> entry.type().equals(credential.type()))
                .min(BEST_FIRST)
                .orElse(null);
        if (chosen == null) {
            count("none", "no_provider"); // not the type asked for: a client could make up any number of those
            throw new AuthenticationException(Kind.NO_PROVIDER,
                    "no auth provider for credentials of type '" + credential.type() + "' is installed");
        }
        try {
            Identity identity = chosen.provider().authenticate(credential);
            count(chosen.type(), "ok");
            return identity;
        } catch (AuthenticationException e) {
            count(chosen.type(), e.kind().name().toLowerCase(Locale.ROOT));
            throw e;
        } catch (RuntimeException e) {
            // a provider being stopped under us (its bundle uninstalled mid-call) or a provider bug:
            // the credential is not proven, and the caller answers 401 rather than 500
            count(chosen.type(), "unavailable");
            throw new AuthenticationException(Kind.UNAVAILABLE, "the " + credential.type() + " provider failed", e);
        }
    }

    private void count(String type, String outcome) {
        Counter counter = signIns.get();
        if (counter != null) {
            counter.increment(type, outcome);
        }
    }
}
