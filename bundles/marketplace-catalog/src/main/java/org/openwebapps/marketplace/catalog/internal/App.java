package org.openwebapps.marketplace.catalog.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.openwebapps.marketplace.MarketplaceApp;

/**
 * An app as stored under {@code app/<id>} in the catalog's records: what the developer submitted
 * and what review decided. Immutable; changes make copies.
 *
 * @param manifest  the manifest as fetched (validated)
 * @param icons     the default locale's icons as absolute URLs (data: URIs kept)
 * @param developer the default locale's developer object, or null
 * @param priceTier the price tier of a premium app, else null
 * @param owner     the submitting developer's email
 */
record App(long id, String slug, String name, String description, String origin, String manifestUrl,
        ObjectNode manifest, ObjectNode icons, JsonNode developer, String status, String premiumType, Integer priceTier,
        List<String> categories, long created, long modified, String owner) {

    static final String INCOMPLETE = "incomplete";
    static final String PENDING = "pending";
    static final String PUBLIC = "public";
    static final String REJECTED = "rejected";
    static final String DISABLED = "disabled";
    static final String FREE = "free";
    static final String PREMIUM = "premium";
    static final List<String> PREMIUM_TYPES = List.of(FREE, PREMIUM, "free-inapp");

    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    App {
        categories = List.copyOf(categories);
    }

    /** A new submission from a valid manifest (its default-locale fields copied out). */
    static App submitted(long id, String slug, String manifestUrl, String origin, ObjectNode manifest, String owner,
            long now) {
        App app = new App(id, slug, "", "", origin, manifestUrl, manifest, JSON.createObjectNode(), null, INCOMPLETE,
                FREE, null, List.of(), now, now, owner);
        return app.withManifest(manifestUrl, manifest, now);
    }

    /** The fields a manifest decides, from a new (refetched) manifest. */
    App withManifest(String url, ObjectNode newManifest, long now) {
        ObjectNode absoluteIcons = JSON.createObjectNode();
        newManifest.path("icons").fields().forEachRemaining(icon -> {
            String path = icon.getValue().asText();
            absoluteIcons.put(icon.getKey(), path.startsWith("data:") ? path : origin + path);
        });
        JsonNode newDeveloper = newManifest.get("developer");
        return new App(id, slug, newManifest.path("name").asText(), newManifest.path("description").asText(""), origin,
                url, newManifest, absoluteIcons, newDeveloper == null ? null : newDeveloper.deepCopy(), status,
                premiumType, priceTier, categories, created, now, owner);
    }

    App withStatus(String newStatus, long now) {
        return new App(id, slug, name, description, origin, manifestUrl, manifest, icons, developer, newStatus,
                premiumType, priceTier, categories, created, now, owner);
    }

    App withMetadata(String newSlug, List<String> newCategories, String newPremiumType, Integer newPriceTier, long now) {
        return new App(id, newSlug, name, description, origin, manifestUrl, manifest, icons, developer, status,
                newPremiumType, FREE.equals(newPremiumType) ? null : newPriceTier, newCategories, created, now, owner);
    }

    boolean isPublic() {
        return PUBLIC.equals(status);
    }

    /** What the catalog's {@code q} searches: name, description and slug in lower case. */
    String searchText() {
        return (name + "\n" + description + "\n" + slug).toLowerCase(Locale.ROOT);
    }

    MarketplaceApp toApi() {
        return new MarketplaceApp(id, slug, name, origin, manifestUrl, status, premiumType, priceTier, owner);
    }

    byte[] toBytes() {
        ObjectNode json = JSON.createObjectNode();
        json.put("id", id).put("slug", slug).put("name", name).put("description", description).put("origin", origin)
                .put("manifest_url", manifestUrl);
        json.set("manifest", manifest);
        json.set("icons", icons);
        json.set("developer", developer);
        json.put("status", status).put("premium_type", premiumType);
        if (priceTier == null) {
            json.putNull("price_tier");
        } else {
            json.put("price_tier", priceTier);
        }
        json.putArray("categories").addAll(categories.stream().map(json::textNode).toList());
        json.put("created", created).put("modified", modified).put("owner", owner);
        try {
            return JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static App fromBytes(byte[] bytes) {
        JsonNode json;
        try {
            json = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("a stored app is not JSON", e);
        }
        List<String> categories = new ArrayList<>();
        json.path("categories").forEach(category -> categories.add(category.asText()));
        JsonNode developer = json.get("developer");
        return new App(json.path("id").asLong(), json.path("slug").asText(), json.path("name").asText(),
                json.path("description").asText(), json.path("origin").asText(), json.path("manifest_url").asText(),
                (ObjectNode) json.get("manifest"), (ObjectNode) json.get("icons"),
                developer == null || developer.isNull() ? null : developer, json.path("status").asText(),
                json.path("premium_type").asText(), json.path("price_tier").isInt() ? json.get("price_tier").asInt() : null,
                categories, json.path("created").asLong(), json.path("modified").asLong(), json.path("owner").asText());
    }
}
