package org.openwebapps.itests.authexample;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.openwebapps.auth.AuthProvider;
import org.openwebapps.auth.AuthenticationException;
import org.openwebapps.auth.AuthenticationException.Kind;
import org.openwebapps.auth.Credential;
import org.openwebapps.auth.Identity;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Credentials of type {@code apikey}: the value is {@code <email>:<key>}, accepted when the key is
 * the one configured for that email. The smallest useful provider: one class, one configuration.
 */
@Component(configurationPid = ApiKeyProvider.PID, property = AuthProvider.TYPE + "=apikey")
@Designate(ocd = ApiKeyProvider.Config.class)
public final class ApiKeyProvider implements AuthProvider {

    static final String PID = "org.openwebapps.itests.authexample";

    @ObjectClassDefinition(name = "Example API key auth provider")
    @interface Config {
        @AttributeDefinition(description = "email=key pairs")
        String[] keys() default {};
    }

    private final Map<String, byte[]> keys = new HashMap<>();

    @Activate
    public ApiKeyProvider(Config config) {
        for (String pair : config.keys()) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                keys.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim().getBytes(UTF_8));
            }
        }
    }

    @Override
    public Identity authenticate(Credential credential) throws AuthenticationException {
        int colon = credential.value().lastIndexOf(':');
        String email = colon > 0 ? credential.value().substring(0, colon) : "";
        byte[] expected = keys.get(email);
        byte[] given = credential.value().substring(colon + 1).getBytes(UTF_8);
        // constant-time, so the comparison's duration tells nothing about the key
        if (expected == null || !MessageDigest.isEqual(expected, given)) {
            throw new AuthenticationException(Kind.REJECTED, "unknown email or wrong API key");
        }
        return new Identity(email, true, "apikey", credential.audience(), Instant.now().plusSeconds(3600), "apikey",
                Map.of());
    }
}
