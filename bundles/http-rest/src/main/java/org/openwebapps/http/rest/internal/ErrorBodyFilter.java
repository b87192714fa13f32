package org.openwebapps.http.rest.internal;

import org.openwebapps.rest.ApiError;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Gives a JSON {@link ApiError} body to error responses that have none (a resource returning
 * {@code Response.status(404).build()}), so that no error ever reaches Jetty's HTML error page.
 */
@Priority(Priorities.ENTITY_CODER)
final class ErrorBodyFilter implements ContainerResponseFilter {
    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if (status >= 400 && !response.hasEntity()) {
            Response.StatusType info = response.getStatusInfo();
            response.setEntity(ApiError.of(info, JsonErrors.defaultMessage(status)), null,
                    MediaType.APPLICATION_JSON_TYPE);
        }
    }
}
