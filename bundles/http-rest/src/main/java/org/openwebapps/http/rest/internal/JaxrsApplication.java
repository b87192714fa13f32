package org.openwebapps.http.rest.internal;

import java.util.Collection;

import org.glassfish.jersey.CommonProperties;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.jakarta.rs.json.JacksonJsonProvider;

/**
 * Builds one generation's Jersey configuration: the server-wide providers (the one Jackson
 * configuration, the JSON error mappers, the body limit) followed by the whiteboard services.
 */
final class JaxrsApplication {

    private JaxrsApplication() {
    }

    /** The server's single JSON configuration, shared by every resource. */
    static ObjectMapper objectMapper() {
        return JsonMapper.builder()
                // clients written against older or newer servers send fields we do not know
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // "{} garbage" is not JSON
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /**
     * @param maxBodyBytes the request body limit
     * @param mapper       the JSON configuration
     * @param metrics      times the requests (when a metrics service is there)
     * @param services     resource and extension instances, in registration order
     * @return a fresh configuration (Jersey freezes a configuration once a container uses it)
     */
    static ResourceConfig create(long maxBodyBytes, ObjectMapper mapper, RequestMetrics metrics, Collection<?> services) {
        ResourceConfig config = new ResourceConfig();
        // Everything is registered explicitly: no classpath scanning, no META-INF/services
        // discovery (which would find nothing useful under OSGi and slows each rebuild).
        config.property(ServerProperties.WADL_FEATURE_DISABLE, true);
        config.property(ServerProperties.BV_FEATURE_DISABLE, true);
        config.property(ServerProperties.METAINF_SERVICES_LOOKUP_DISABLE, true);
        config.property(CommonProperties.FEATURE_AUTO_DISCOVERY_DISABLE, true);
        config.property(CommonProperties.JSON_PROCESSING_FEATURE_DISABLE, true);
        config.property(CommonProperties.MOXY_JSON_FEATURE_DISABLE, true);
        // Error statuses are written as responses, never through sendError(), which would make
        // Jetty render its HTML error page.
        config.property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);

        config.registerInstances(
                metrics,
                new JacksonJsonProvider(mapper),
                new JsonReadInterceptor(),
                new BodyLimitFilter(maxBodyBytes),
                new ErrorBodyFilter(),
                new JsonErrors.WebApplicationExceptionMapper(),
                new JsonErrors.UnexpectedExceptionMapper());
        for (Object service : services) {
            config.registerInstances(service);
        }
        return config;
    }
}
