package org.openwebapps.auth.core.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.openwebapps.auth.AuthProvider;
import org.openwebapps.auth.AuthenticationException;
import org.openwebapps.auth.AuthenticationException.Kind;
import org.openwebapps.auth.Authenticator;
import org.openwebapps.auth.Credential;
import org.openwebapps.auth.Identity;
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

    @Override
    public Identity authenticate(Credential credential) throws AuthenticationException {
        AuthProvider provider = providers.stream()
                .filter(entry -> entry.type().equals(credential.type()))
                .min(BEST_FIRST)
                .map(Entry::provider)
                .orElseThrow(() -> new AuthenticationException(Kind.NO_PROVIDER,
                        "no auth provider for credentials of type '" + credential.type() + "' is installed"));
        try {
            return provider.authenticate(credential);
        } catch (RuntimeException e) {
            // a provider being stopped under us (its bundle uninstalled mid-call) or a provider bug:
            // the credential is not proven, and the caller answers 401 rather than 500
            throw new AuthenticationException(Kind.UNAVAILABLE, "the " + credential.type() + " provider failed", e);
        }
    }
}
