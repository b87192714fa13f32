package org.openwebapps.storage;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * Finds the real servers tests run against, through environment variables (README, "Tests").
 * A missing server fails the test when {@code CI=true} and skips it otherwise.
 */
public final class TestServers {

    private TestServers() {
    }

    /**
     * @param variable an environment variable naming a server
     * @return its value
     */
    public static String require(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            String message = variable + " is not set: no server to test against";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + " (CI=true: .ci/run starts the servers and sets it)");
            }
            Assumptions.abort(message + " (skipped locally; .ci/run sets it)");
        }
        return value;
    }

    /** @return the variable's value, or {@code fallback} when unset (for optional settings) */
    public static String optional(String variable, String fallback) {
        String value = System.getenv(variable);
        return value == null ? fallback : value;
    }
}
