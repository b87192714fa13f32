package org.openwebapps.marketplace.payments.internal;

import org.openwebapps.rest.ApiError;

/** A refused request: answered as {@code {"status","error","message"}}. The message is safe to send. */
final class PaymentsException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;

    PaymentsException(int status, String error, String message) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
    }

    static PaymentsException notFound(String message) {
        return new PaymentsException(404, "not_found", message);
    }

    static PaymentsException state(String state) {
        return new PaymentsException(409, "purchase_state", "not allowed while the purchase is " + state);
    }

    static PaymentsException paymentsUnavailable(String message) {
        return new PaymentsException(503, "payments_unavailable", message);
    }

    static PaymentsException storageUnavailable(String message) {
        return new PaymentsException(503, "service_unavailable", message);
    }

    int status() {
        return status;
    }

    ApiError body() {
        return new ApiError(status, error, getMessage());
    }
}
