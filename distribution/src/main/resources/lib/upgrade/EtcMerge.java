import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Merges an operator's etc/ with a new version's defaults, key by key (a three-way merge, as a
 * package manager does with configuration files). Run by bin/upgrade with the source launcher
 * ({@code java EtcMerge.java}), so it needs nothing but the JDK the server runs on.
 *
 * <pre>java EtcMerge.java &lt;old defaults&gt; &lt;new defaults&gt; &lt;etc&gt;</pre>
 *
 * For every file the new version ships: a file the operator never changed becomes the new one; in a
 * properties file they changed (*.cfg, *.properties), each key they set or added keeps their value,
 * every other key takes the new default, and keys only they have are kept at the end; any other file
 * they changed is kept, with the new version beside it as {@code <name>.new}. Files only the operator
 * has (a host key, their own configurations) stay. Without old defaults (an installation older than
 * this tool) every key already in etc/ counts as the operator's.
 */
public final class EtcMerge {

    private static final String KEPT = "# --- kept from your configuration: not among this version's defaults ---";

    private EtcMerge() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: java EtcMerge.java <old defaults> <new defaults> <etc>");
            System.exit(2);
        }
        Path oldDefaults = Path.of(args[0]);
        Path newDefaults = Path.of(args[1]);
        Path etc = Path.of(args[2]);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(newDefaults)) {
            files = walk.filter(Files::isRegularFile).map(newDefaults::relativize).sorted().toList();
        }
        for (Path file : files) {
            String outcome = merge(read(oldDefaults.resolve(file)), read(newDefaults.resolve(file)).orElseThrow(),
                    read(etc.resolve(file)), etc.resolve(file), Files.isDirectory(oldDefaults));
            if (!outcome.isEmpty()) {
                System.out.println("  etc/" + file + ": " + outcome);
            }
        }
    }

    /** Writes the merged file and says what happened to it (empty when it simply took the new default). */
    private static String merge(Optional<String> old, String fresh, Optional<String> mine, Path target, boolean oldKnown)
            throws IOException {
        if (mine.isEmpty() || mine.equals(old) || mine.get().equals(fresh)) {
            write(target, fresh);
            return "";
        }
        String name = target.getFileName().toString();
        if (!name.endsWith(".cfg") && !name.endsWith(".properties")) {
            write(target.resolveSibling(name + ".new"), fresh);
            return "yours kept (changed by you); this version's is beside it as " + name + ".new";
        }
        Map<String, Entry> before = oldKnown ? entries(old.orElse("")) : Map.of();
        Map<String, Entry> yours = entries(mine.get());
        Map<String, Entry> defaults = entries(fresh);
        List<String> keptKeys = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        for (Entry line : parse(fresh)) {
            Entry own = line.key == null ? null : yours.get(line.key);
            Entry was = line.key == null ? null : before.get(line.key);
            boolean changedByYou = own != null && (was == null || !own.value.equals(was.value));
            boolean removedByYou = own == null && was != null;
            if (changedByYou) {
                out.append(own.text);
                keptKeys.add(line.key);
            } else if (!removedByYou) {
                out.append(line.text);
            }
        }
        StringBuilder onlyYours = new StringBuilder();
        for (Entry own : yours.values()) {
            Entry was = before.get(own.key);
            if (!defaults.containsKey(own.key) && (was == null || !own.value.equals(was.value))) {
                onlyYours.append(own.text);
                keptKeys.add(own.key);
            }
        }
        if (onlyYours.length() > 0) {
            if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
                out.append('\n');
            }
            out.append(KEPT).append('\n').append(onlyYours);
        }
        write(target, out.toString());
        // Karaf rewrites some files it reads (same keys and values, other text): nothing to report
        return keptKeys.isEmpty() ? "" : "your " + String.join(", ", keptKeys) + " kept, new defaults for the rest";
    }

    /** A logical line: a key's entry with its continuation lines, or a comment or blank line (key null). */
    private record Entry(String key, String value, String text) {
    }

    private static Map<String, Entry> entries(String text) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Entry entry : parse(text)) {
            if (entry.key != null) {
                entries.put(entry.key, entry);
            }
        }
        entries.remove(KEPT);
        return entries;
    }

    private static List<Entry> parse(String text) {
        List<Entry> entries = new ArrayList<>();
        List<String> lines = Arrays.asList(text.split("(?<=\n)"));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("!")) {
                entries.add(new Entry(null, null, line));
                continue;
            }
            StringBuilder raw = new StringBuilder(line);
            StringBuilder logical = new StringBuilder(trimmed);
            while (endsWithContinuation(logical) && i + 1 < lines.size()) {
                logical.setLength(logical.length() - 1);
                String next = lines.get(++i);
                raw.append(next);
                logical.append(next.strip());
            }
            int separator = separatorIndex(logical);
            String key = logical.substring(0, separator).strip();
            String value = logical.substring(separator).strip();
            if (value.startsWith("=") || value.startsWith(":")) {
                value = value.substring(1).strip();
            }
            entries.add(new Entry(key, value, raw.toString()));
        }
        return entries;
    }

    private static boolean endsWithContinuation(CharSequence line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /** Where the key ends: the first unescaped '=', ':' or white space (java.util.Properties' rule). */
    private static int separatorIndex(CharSequence line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '=' || c == ':' || Character.isWhitespace(c)) {
                return i;
            }
        }
        return line.length();
    }

    private static Optional<String> read(Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.ISO_8859_1)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Written beside and moved over, so that a file is never half written. */
    private static void write(Path target, String text) throws IOException {
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Files.writeString(partial, text, StandardCharsets.ISO_8859_1);
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
