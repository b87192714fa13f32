package org.openwebapps.storage.router.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.openwebapps.storage.StorageException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** What operators do with the router, shared by the shell commands and the admin HTTP API. */
@Component(service = RouterAdmin.class)
public final class RouterAdmin {

    private final StorageRouter router;
    private final ConfigurationAdmin configurations;

    @Activate
    public RouterAdmin(@Reference StorageRouter router, @Reference ConfigurationAdmin configurations) {
        this.router = router;
        this.configurations = configurations;
    }

    public List<BackendStatus> status() {
        return router.status();
    }

    /**
     * Switches roles by updating the router's configuration, so the change is the one an edit of
     * {@code etc/org.openwebapps.storage.router.cfg} makes, and survives a restart.
     *
     * @param mirror a backend name, or {@code null}/empty for none
     */
    public void setRoles(String primary, String mirror) throws IOException {
        if (primary == null || primary.isBlank() || !primary.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("primary must be a storage backend name");
        }
        String newMirror = mirror == null || mirror.isBlank() || mirror.equals("none") ? "" : mirror;
        if (!newMirror.isEmpty() && (!newMirror.matches("[A-Za-z0-9._-]{1,64}") || newMirror.equals(primary))) {
            throw new IllegalArgumentException("mirror must be another storage backend name, or none");
        }
        Configuration configuration = configurations.getConfiguration(StorageRouter.PID, "?");
        Dictionary<String, Object> properties = configuration.getProperties();
        if (properties == null) {
            properties = new Hashtable<>();
        }
        properties.put("primary", primary);
        properties.put("mirror", newMirror);
        configuration.update(properties);
    }

    public ConsistencyCheck.Report check(boolean repair) throws StorageException {
        return ConsistencyCheck.run(router, repair);
    }

    /** Probes failed backends and replays what they missed now, instead of at the next round. */
    public void replayNow() {
        router.round();
    }
}
