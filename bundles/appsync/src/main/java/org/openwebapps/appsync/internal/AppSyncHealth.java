package org.openwebapps.appsync.internal;

import org.openwebapps.auth.AuthProvider;
import org.openwebapps.health.HealthCheck;
import org.openwebapps.health.HealthResult;
import org.openwebapps.sauropod.Sauropod;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** {@code appsync}: users can log in (a BrowserID provider is installed) and Sauropod has storage. */
@Component
public final class AppSyncHealth implements HealthCheck {

    private final Sauropod sauropod;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            target = "(" + AuthProvider.TYPE + "=browserid)")
    private volatile AuthProvider browserId;

    @Activate
    public AppSyncHealth(@Reference Sauropod sauropod) {
        this.sauropod = sauropod;
    }

    @Override
    public String name() {
        return "appsync";
    }

    @Override
    public HealthResult check() {
        if (browserId == null) {
            return HealthResult.failed("no BrowserID auth provider: logins fail");
        }
        return sauropod.storageAvailable() ? HealthResult.ok() : HealthResult.failed("Sauropod has no healthy storage backend");
    }
}
