package org.openwebapps.appsync.internal;

import java.util.List;
import java.util.Set;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MultivaluedMap;

import org.openwebapps.rest.JakartarsExtension;
import org.openwebapps.rest.JakartarsName;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

/**
 * CORS for AppSync's paths ({@code /verify}, {@code /collections/...}), so a dashboard on one of
 * the configured {@code cors.origins} can sync from a browser: the allowed origin echoed, the
 * {@code Authorization} header allowed, the poll headers exposed. Preflight {@code OPTIONS} are
 * answered by the REST runtime and get the same headers here. Configured by AppSync's PID
 * (its metatype is declared once, on {@link AppSyncResource}).
 */
@Component(service = ContainerResponseFilter.class, configurationPid = AppSyncResource.PID)
@JakartarsExtension
@JakartarsName("appsync-cors")
public final class CorsFilter implements ContainerResponseFilter {

    private volatile Set<String> origins;
    private volatile boolean anyOrigin;

    @Activate
    public CorsFilter(AppSyncConfiguration config) {
        modified(config);
    }

    @Modified
    void modified(AppSyncConfiguration config) {
        List<String> listed = AppSyncResource.list(config.cors_origins());
        anyOrigin = listed.contains("*");
        origins = Set.copyOf(listed);
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        String origin = request.getHeaderString("Origin");
        if (origin == null || !(path.equals("verify") || path.startsWith("collections/"))) {
            return;
        }
        if (!anyOrigin && !origins.contains(origin)) {
            return;
        }
        MultivaluedMap<String, Object> headers = response.getHeaders();
        headers.putSingle("Access-Control-Allow-Origin", origin);
        headers.putSingle("Vary", "Origin");
        headers.putSingle("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        headers.putSingle("Access-Control-Allow-Headers", "Authorization, Content-Type");
        headers.putSingle("Access-Control-Expose-Headers", "X-Sync-Poll, X-Sync-Poll-Time, Retry-After");
        headers.putSingle("Access-Control-Max-Age", "600");
    }
}
