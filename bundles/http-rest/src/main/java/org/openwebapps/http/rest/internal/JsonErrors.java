package org.openwebapps.http.rest.internal;

import java.util.UUID;

import org.glassfish.jersey.server.ParamException;
import org.openwebapps.rest.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** The server's exception mappers: every error leaves as an {@link ApiError} JSON body. */
final class JsonErrors {

    private static final Logger LOG = LoggerFactory.getLogger(JsonErrors.class);

    private JsonErrors() {
    }

    /**
     * Maps JAX-RS exceptions, thrown by resources or by Jersey itself (404 no match, 405, 415,
     * 406), keeping their status and headers ({@code Allow}, {@code Retry-After}).
     */
    static final class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException exception) {
            Response original = exception.getResponse();
            if (original.hasEntity()) {
                return original; // the endpoint chose its own body (AppSync's {"code","msg"}, ...)
            }
            Response.StatusType status = original.getStatusInfo();
            String message = exception.getMessage();
            if (exception instanceof ParamException.QueryParamException
                    || exception instanceof ParamException.FormParamException
                    || exception instanceof ParamException.HeaderParamException) {
                // JAX-RS answers 404 for an unparsable query parameter; the request is what is wrong.
                ParamException param = (ParamException) exception;
                status = Response.Status.BAD_REQUEST;
                message = "Invalid " + param.getParameterType().getSimpleName().replace("Param", "").toLowerCase()
                        + " parameter '" + param.getParameterName() + "'";
            } else if (message == null || message.startsWith("HTTP ")) {
                message = defaultMessage(status.getStatusCode());
            }
            return Response.fromResponse(original)
                    .status(status)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(ApiError.of(status, message))
                    .build();
        }
    }

    /** Anything else is a bug: log it with an incident id and answer 500 without details. */
    static final class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable exception) {
            String incident = UUID.randomUUID().toString();
            LOG.error("Unexpected error while serving a request, incident {}", incident, exception);
            return ApiError.response(Response.Status.INTERNAL_SERVER_ERROR, "Internal server error, incident " + incident);
        }
    }

    static String defaultMessage(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 404 -> "No resource at this path";
            case 405 -> "Method not allowed on this resource";
            case 406 -> "No acceptable representation for the Accept header";
            case 413 -> "Request body too large";
            case 415 -> "Unsupported Content-Type for this resource";
            case 503 -> "Service temporarily unavailable";
            default -> {
                Response.Status known = Response.Status.fromStatusCode(status);
                yield known != null ? known.getReasonPhrase() : "HTTP " + status;
            }
        };
    }
}
