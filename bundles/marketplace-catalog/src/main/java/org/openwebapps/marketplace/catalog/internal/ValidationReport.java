package org.openwebapps.marketplace.catalog.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What validating a manifest URL found: every problem at once, errors and warnings apart.
 *
 * @param manifestUrl the URL as given
 * @param origin      its origin, or {@code null} when the URL has none
 * @param messages    errors and warnings in document order
 * @param manifest    the parsed manifest, or {@code null} when it could not be fetched or parsed
 */
record ValidationReport(String manifestUrl, String origin, List<ValidationMessage> messages, ObjectNode manifest) {

    ValidationReport {
        messages = List.copyOf(messages);
    }

    static ValidationReport fetchFailed(String manifestUrl, String origin, ValidationMessage failure) {
        return new ValidationReport(manifestUrl, origin, List.of(failure), null);
    }

    boolean valid() {
        return errors() == 0;
    }

    long errors() {
        return messages.stream().filter(ValidationMessage::isError).count();
    }

    /** The report's JSON shape. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("valid", valid());
        json.put("manifest_url", manifestUrl);
        json.put("origin", origin);
        json.put("errors", errors());
        json.put("warnings", messages.size() - errors());
        json.put("messages", messages.stream().map(m -> {
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("type", m.type());
            message.put("code", m.code());
            message.put("path", m.path());
            message.put("message", m.message());
            return message;
        }).toList());
        return json;
    }
}
