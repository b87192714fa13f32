package org.openwebapps.health;

import java.util.Objects;

/**
 * The outcome of one {@link HealthCheck} call.
 *
 * @param healthy whether the checked resource can serve requests
 * @param message a short human-readable detail for operators; never a secret, never {@code null}
 */
public record HealthResult(boolean healthy, String message) {

    public HealthResult {
        Objects.requireNonNull(message, "message");
    }

    /** @return a passing result with the message {@code "ok"} */
    public static HealthResult ok() {
        return new HealthResult(true, "ok");
    }

    /**
     * @param message what is wrong, for operators
     * @return a failing result
     */
    public static HealthResult failed(String message) {
        return new HealthResult(false, message);
    }
}
