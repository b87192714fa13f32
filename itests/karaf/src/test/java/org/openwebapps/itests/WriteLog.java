package org.openwebapps.itests;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One client's writes, key by key: the last acknowledged value and timestamp, and the writes sent
 * after it whose outcome the client never learnt (a 503 after the backend had applied it, or a
 * server killed before it answered). A stored record is what the client may find if it is the
 * acknowledged one, or newer than it and one of those unanswered writes; anything else means an
 * acknowledged write was lost.
 */
final class WriteLog {

    /** A write the server acknowledged. */
    record Acknowledged(String value, long timestamp) {
    }

    private final Map<String, Acknowledged> acknowledged = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> unanswered = new ConcurrentHashMap<>();

    void sending(String key, String value) {
        unanswered.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(value);
    }

    void acknowledged(String key, String value, long timestamp) {
        acknowledged.put(key, new Acknowledged(value, timestamp));
        unanswered.put(key, ConcurrentHashMap.newKeySet());
    }

    Acknowledged last(String key) {
        return acknowledged.get(key);
    }

    Set<String> keys() {
        return new HashSet<>(acknowledged.keySet());
    }

    /** @return whether the record found under {@code key} keeps every acknowledged write */
    boolean explains(String key, String value, long timestamp) {
        Acknowledged last = acknowledged.get(key);
        if (last == null) {
            return true;
        }
        if (timestamp == last.timestamp()) {
            return value.equals(last.value());
        }
        return timestamp > last.timestamp() && unanswered.getOrDefault(key, Set.of()).contains(value);
    }
}
