package org.openwebapps.marketplace.catalog.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The 2011 Open Web Apps manifest rules, with the Marketplace's own (contract section 2): every
 * problem is reported, errors and warnings apart. Pure: no I/O, thread safe.
 */
final class ManifestValidator {

    /** Deeper than any real manifest: deeper documents are refused before they cost anything. */
    static final int MAX_DEPTH = 32;
    static final int MAX_NAME_CHARS = 128;
    static final int MAX_DESCRIPTION_CHARS = 1024;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static final Set<String> OWA_PROPERTIES = Set.of("name", "description", "launch_path", "icons",
            "developer", "locales", "default_locale", "installs_allowed_from", "version", "widget", "capabilities",
            "experimental");
    private static final Set<String> MARKETPLACE_PROPERTIES = Set.of("permissions", "type", "fullscreen",
            "orientation", "appcache_path", "activities", "csp", "required_features", "screen_size");
    private static final Set<String> LOCALE_PROPERTIES = Set.of("name", "description", "developer", "icons",
            "launch_path");
    private static final Pattern ICON_SIZE = Pattern.compile("[1-9][0-9]*");

    private final String storeOrigin;

    /** @param storeOrigin this Marketplace's {@code site.url}, as {@code installs_allowed_from} must name it */
    ManifestValidator(String storeOrigin) {
        this.storeOrigin = storeOrigin;
    }

    /**
     * @param body the fetched bytes
     * @return the problems, and the manifest when it parsed as a JSON object
     */
    ValidationReport validate(String manifestUrl, String origin, byte[] body) {
        List<ValidationMessage> messages = new ArrayList<>();
        Optional<ObjectNode> parsed = parse(body, messages);
        if (parsed.isEmpty()) {
            return new ValidationReport(manifestUrl, origin, messages, null);
        }
        ObjectNode manifest = parsed.get();
        JsonNode name = manifest.get("name");
        if (name == null) {
            messages.add(ValidationMessage.error("NAME_MISSING", "name", "the manifest has no name"));
        } else {
            checkName(name, "name", messages);
        }
        JsonNode description = manifest.get("description");
        if (description == null) {
            messages.add(ValidationMessage.warning("DESCRIPTION_MISSING", "description", "no description"));
        } else {
            checkDescription(description, "description", messages);
        }
        if (manifest.has("launch_path")) {
            checkLaunchPath(manifest.get("launch_path"), "launch_path", messages);
        }
        JsonNode icons = manifest.get("icons");
        if (icons != null) {
            checkIcons(icons, "icons", messages);
        }
        if (icons == null || !icons.isObject() || !icons.has("128")) {
            messages.add(ValidationMessage.warning("ICON_128_MISSING", "icons", "no 128-pixel icon"));
        }
        JsonNode developer = manifest.get("developer");
        if (developer != null) {
            checkDeveloper(developer, "developer", messages);
        }
        if (developer == null || !developer.path("name").isTextual()) {
            messages.add(ValidationMessage.warning("DEVELOPER_NAME_MISSING", "developer.name", "no developer name"));
        }
        checkLocales(manifest, messages);
        checkInstallsAllowedFrom(manifest.get("installs_allowed_from"), messages);
        if (manifest.has("version") && !manifest.get("version").isTextual()) {
            messages.add(ValidationMessage.error("VERSION_INVALID", "version", "version must be a string"));
        }
        if (manifest.has("type") && !"web".equals(manifest.get("type").textValue())) {
            messages.add(ValidationMessage.error("TYPE_INVALID", "type", "type must be \"web\""));
        }
        Iterator<String> keys = manifest.fieldNames();
        while (keys.hasNext()) {
            String key = keys.next();
            if (!OWA_PROPERTIES.contains(key) && !MARKETPLACE_PROPERTIES.contains(key)) {
                messages.add(ValidationMessage.warning("UNKNOWN_PROPERTY", key, "unknown property"));
            }
        }
        return new ValidationReport(manifestUrl, origin, messages, manifest);
    }

    /** Strict UTF-8 (a BOM skipped), one JSON object, no duplicate keys, bounded depth. */
    private static Optional<ObjectNode> parse(byte[] body, List<ValidationMessage> messages) {
        int start = body.length >= 3 && (body[0] & 0xff) == 0xef && (body[1] & 0xff) == 0xbb && (body[2] & 0xff) == 0xbf
                ? 3 : 0;
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body, start, body.length - start)).toString();
        } catch (CharacterCodingException e) {
            messages.add(ValidationMessage.error("MANIFEST_PARSE", "", "the manifest is not UTF-8"));
            return Optional.empty();
        }
        JsonNode tree;
        try (JsonParser parser = JSON.createParser(text)) {
            tree = JSON.readTree(parser);
        } catch (IOException e) {
            messages.add(ValidationMessage.error("MANIFEST_PARSE", "", "the manifest is not valid JSON"
                    + (e.getMessage() != null && e.getMessage().contains("nesting depth") ? " (nested too deep)" : "")));
            return Optional.empty();
        }
        if (tree == null || !tree.isObject()) {
            messages.add(ValidationMessage.error("MANIFEST_PARSE", "", "the manifest must be a JSON object"));
            return Optional.empty();
        }
        return Optional.of((ObjectNode) tree);
    }

    private static void checkName(JsonNode name, String path, List<ValidationMessage> messages) {
        if (!nonEmptyString(name, MAX_NAME_CHARS)) {
            messages.add(ValidationMessage.error("NAME_INVALID", path,
                    "name must be a non-empty string of at most " + MAX_NAME_CHARS + " characters"));
        }
    }

    private static void checkDescription(JsonNode description, String path, List<ValidationMessage> messages) {
        if (!nonEmptyString(description, MAX_DESCRIPTION_CHARS)) {
            messages.add(ValidationMessage.error("DESCRIPTION_INVALID", path,
                    "description must be a non-empty string of at most " + MAX_DESCRIPTION_CHARS + " characters"));
        }
    }

    private static void checkLaunchPath(JsonNode launchPath, String path, List<ValidationMessage> messages) {
        if (!launchPath.isTextual() || !isLocalPath(launchPath.textValue())) {
            messages.add(ValidationMessage.error("LAUNCH_PATH_INVALID", path,
                    "launch_path must be a path starting with a single /"));
        }
    }

    private static void checkIcons(JsonNode icons, String path, List<ValidationMessage> messages) {
        if (!icons.isObject()) {
            messages.add(ValidationMessage.error("ICONS_INVALID", path, "icons must be an object of sizes to paths"));
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = icons.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> icon = fields.next();
            JsonNode value = icon.getValue();
            boolean validPath = value.isTextual() && (isLocalPath(value.textValue()) || value.textValue().startsWith("data:"));
            if (!ICON_SIZE.matcher(icon.getKey()).matches() || !validPath) {
                messages.add(ValidationMessage.error("ICONS_INVALID", path + "." + icon.getKey(),
                        "an icon is a size in pixels mapped to a path starting with / or a data: URI"));
            }
        }
    }

    private static void checkDeveloper(JsonNode developer, String path, List<ValidationMessage> messages) {
        boolean valid = developer.isObject();
        if (valid) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = developer.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                valid &= switch (field.getKey()) {
                    case "name" -> field.getValue().isTextual();
                    case "url" -> field.getValue().isTextual() && Origins.ofUrl(field.getValue().textValue()).isPresent();
                    default -> false;
                };
            }
        }
        if (!valid) {
            messages.add(ValidationMessage.error("DEVELOPER_INVALID", path,
                    "developer must be an object of only a string name and an absolute http(s) url"));
        }
    }

    private static void checkLocales(ObjectNode manifest, List<ValidationMessage> messages) {
        JsonNode defaultLocale = manifest.get("default_locale");
        JsonNode locales = manifest.get("locales");
        if (locales != null && defaultLocale == null) {
            messages.add(ValidationMessage.error("DEFAULT_LOCALE_MISSING", "default_locale",
                    "a manifest with locales needs a default_locale"));
        }
        if (defaultLocale != null && !nonEmptyString(defaultLocale, 64)) {
            messages.add(ValidationMessage.error("DEFAULT_LOCALE_INVALID", "default_locale",
                    "default_locale must be a non-empty string"));
        }
        if (locales == null) {
            return;
        }
        if (!locales.isObject()) {
            messages.add(ValidationMessage.error("LOCALES_INVALID", "locales", "locales must be an object of objects"));
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> entries = locales.fields(); entries.hasNext();) {
            Map.Entry<String, JsonNode> locale = entries.next();
            String path = "locales." + locale.getKey();
            if (!locale.getValue().isObject() || locale.getKey().isEmpty()) {
                messages.add(ValidationMessage.error("LOCALES_INVALID", path, "a locale must be an object"));
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = locale.getValue().fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                String fieldPath = path + "." + field.getKey();
                switch (field.getKey()) {
                    case "name" -> checkName(field.getValue(), fieldPath, messages);
                    case "description" -> checkDescription(field.getValue(), fieldPath, messages);
                    case "developer" -> checkDeveloper(field.getValue(), fieldPath, messages);
                    case "icons" -> checkIcons(field.getValue(), fieldPath, messages);
                    case "launch_path" -> checkLaunchPath(field.getValue(), fieldPath, messages);
                    default -> messages.add(ValidationMessage.error("LOCALES_INVALID", fieldPath,
                            "a locale may overlay only " + String.join(", ", LOCALE_PROPERTIES.stream().sorted().toList())));
                }
            }
        }
    }

    private void checkInstallsAllowedFrom(JsonNode allowed, List<ValidationMessage> messages) {
        if (allowed == null) {
            messages.add(ValidationMessage.warning("INSTALLS_ALLOWED_FROM_MISSING", "installs_allowed_from",
                    "without installs_allowed_from the 2011 runtime refuses installs from a store"));
            return;
        }
        if (!allowed.isArray()) {
            messages.add(ValidationMessage.error("INSTALLS_ALLOWED_FROM_INVALID", "installs_allowed_from",
                    "installs_allowed_from must be an array of origins or \"*\""));
            return;
        }
        boolean store = false;
        boolean valid = true;
        for (int i = 0; i < allowed.size(); i++) {
            JsonNode entry = allowed.get(i);
            if (entry.isTextual() && "*".equals(entry.textValue())) {
                store = true;
                continue;
            }
            Optional<String> origin = entry.isTextual() ? Origins.exactOrigin(entry.textValue()) : Optional.empty();
            if (origin.isEmpty()) {
                valid = false;
                messages.add(ValidationMessage.error("INSTALLS_ALLOWED_FROM_INVALID", "installs_allowed_from." + i,
                        "an entry must be \"*\" or an origin without a path"));
            } else {
                store |= origin.get().equals(storeOrigin);
            }
        }
        if (valid && !store) {
            messages.add(ValidationMessage.error("STORE_NOT_ALLOWED", "installs_allowed_from",
                    "installs_allowed_from must list " + storeOrigin + " or \"*\""));
        }
    }

    /** A path on the app's origin: one leading slash (two would name another host). */
    private static boolean isLocalPath(String value) {
        return value.startsWith("/") && !value.startsWith("//");
    }

    private static boolean nonEmptyString(JsonNode node, int maxChars) {
        return node.isTextual() && !node.textValue().isEmpty() && node.textValue().codePointCount(0, node.textValue().length()) <= maxChars;
    }
}
