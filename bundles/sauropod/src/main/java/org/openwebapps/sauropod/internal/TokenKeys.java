package org.openwebapps.sauropod.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The token signing keys, newest last: the newest signs, every one verifies (rotation: add a key,
 * later remove the old one). From configuration ({@code kid:base64,kid:base64}), or else from a
 * file under the data folder, created with one random key on first start and readable by the
 * server's user only. Secrets never appear in logs or messages.
 */
final class TokenKeys {

    /** A signing key. */
    record Key(String id, byte[] secret) {
    }

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final int MIN_SECRET_BYTES = 32;

    private final Map<String, Key> byId;
    private final Key newest;

    private TokenKeys(List<Key> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no token signing key");
        }
        Map<String, Key> map = new LinkedHashMap<>();
        for (Key key : keys) {
            if (map.put(key.id(), key) != null) {
                throw new IllegalArgumentException("token key id '" + key.id() + "' appears twice");
            }
        }
        this.byId = map;
        this.newest = keys.get(keys.size() - 1);
    }

    /** @param spec {@code kid:base64secret} entries separated by commas or lines ({@code #} comments), newest last */
    static TokenKeys parse(String spec) {
        List<String> entries = new ArrayList<>();
        for (String line : spec.split("\\n")) {
            if (!line.trim().startsWith("#")) {
                entries.addAll(List.of(line.split(",")));
            }
        }
        List<Key> keys = new ArrayList<>();
        for (String entry : entries) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            String id = colon < 0 ? "" : trimmed.substring(0, colon);
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("token keys must be kid:base64 with a kid of [A-Za-z0-9_-]{1,32}");
            }
            byte[] secret;
            try {
                secret = Base64.getDecoder().decode(trimmed.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("token key '" + id + "' is not base64");
            }
            if (secret.length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("token key '" + id + "' is shorter than " + MIN_SECRET_BYTES + " bytes");
            }
            keys.add(new Key(id, secret));
        }
        return new TokenKeys(keys);
    }

    /** Reads the key file, creating it with one fresh key if it does not exist. */
    static TokenKeys fromFile(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] secret = new byte[MIN_SECRET_BYTES];
                new SecureRandom().nextBytes(secret);
                String content = "# Sauropod token signing keys, newest last: kid:base64\n"
                        + "k" + System.currentTimeMillis() / 1000 + ":" + Base64.getEncoder().encodeToString(secret) + "\n";
                Path temporary = file.resolveSibling(file.getFileName() + ".new");
                Files.writeString(temporary, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING);
                restrict(temporary);
                Files.move(temporary, file);
            }
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the token key file " + file, e);
        }
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: left to the directory's permissions
        }
    }

    Key newest() {
        return newest;
    }

    Key byId(String id) {
        return byId.get(id);
    }

    int size() {
        return byId.size();
    }
}
