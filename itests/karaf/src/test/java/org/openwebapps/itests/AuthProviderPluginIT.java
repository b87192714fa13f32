package org.openwebapps.itests;

import static org.junit.Assert.assertEquals;

import java.net.http.HttpResponse;
import java.util.Hashtable;
import java.util.Map;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The auth SPI takes providers at runtime: the guide's example provider (bundles/auth-api/README.md)
 * is deployed into the running server, authenticates, and is removed again, all without a restart.
 */
@RunWith(ServerExam.class)
@ExamReactorStrategy(PerClass.class)
public class AuthProviderPluginIT extends ServerTestSupport {

    @Before
    public void installLogin() throws Exception {
        installTestResource(); // /itest/login, a login through the auth SPI
        await("/itest/login served", () -> post("/itest/login", "application/json", "{}"),
                response -> response.statusCode() == 400); // an empty login is a 400
    }

    private HttpResponse<String> login(String value) {
        return post("/itest/login", "application/json", "{\"type\":\"apikey\",\"value\":\"" + value + "\"}");
    }

    @Test
    public void aProviderBundleDeployedAtRuntimeAuthenticatesUntilRemoved() throws Exception {
        assertEquals("no auth provider for credentials of type 'apikey' is installed",
                json(login("carol@example.com:k3y")).path("message").asText());

        configurationAdmin.getConfiguration("org.openwebapps.itests.authexample", null)
                .update(new Hashtable<>(Map.of("keys", new String[] {"carol@example.com=k3y"})));
        Bundle provider = installTestBundle(AUTH_EXAMPLE);
        try {
            HttpResponse<String> ok = await("the example provider serving",
                    () -> login("carol@example.com:k3y"), response -> response.statusCode() == 200);
            assertEquals("carol@example.com", json(ok).path("email").asText());
            assertEquals("apikey", json(ok).path("provider").asText());

            HttpResponse<String> wrongKey = login("carol@example.com:guess");
            assertEquals(401, wrongKey.statusCode());
            assertEquals("unknown email or wrong API key", json(wrongKey).path("message").asText());
        } finally {
            provider.uninstall();
        }
        HttpResponse<String> gone = await("the provider gone",
                () -> login("carol@example.com:k3y"), response -> response.statusCode() != 200);
        assertEquals(401, gone.statusCode());
        assertEquals("no auth provider for credentials of type 'apikey' is installed", json(gone).path("message").asText());
    }
}
