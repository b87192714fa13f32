package org.openwebapps.marketplace.catalog.internal;

/**
 * One problem of a manifest, as the validation report lists it.
 *
 * @param type    {@code error} or {@code warning}
 * @param code    the stable code ({@code NAME_MISSING}, {@code FETCH_TIMEOUT}, ...)
 * @param path    the dotted key it concerns, {@code ""} for the document
 * @param message a human-readable explanation
 */
record ValidationMessage(String type, String code, String path, String message) {

    static ValidationMessage error(String code, String path, String message) {
        return new ValidationMessage("error", code, path, message);
    }

    static ValidationMessage warning(String code, String path, String message) {
        return new ValidationMessage("warning", code, path, message);
    }

    boolean isError() {
        return "error".equals(type);
    }
}
