package org.openwebapps.storage;

import java.util.Objects;

/**
 * What must hold for a mutation to apply, checked atomically with the write.
 *
 * @param kind the kind of condition
 * @param etag for {@link Kind#MATCH}, the ETag the live record must have; otherwise {@code null}
 */
public record Condition(Kind kind, String etag) {

    /** The kinds of condition. */
    public enum Kind {
        /** No condition. */
        ANY,
        /** No live record under the key ({@code If-None-Match: *}). */
        ABSENT,
        /** A live record with exactly this ETag ({@code If-Match}). */
        MATCH
    }

    private static final Condition ANY = new Condition(Kind.ANY, null);
    private static final Condition ABSENT = new Condition(Kind.ABSENT, null);

    public Condition {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.MATCH) != (etag != null)) {
            throw new IllegalArgumentException("an ETag goes with MATCH and only with MATCH");
        }
    }

    public static Condition any() {
        return ANY;
    }

    public static Condition absent() {
        return ABSENT;
    }

    public static Condition match(String etag) {
        return new Condition(Kind.MATCH, Objects.requireNonNull(etag, "etag"));
    }

    /**
     * @param current the live record under the key, or {@code null}
     * @return whether this condition holds against it
     */
    public boolean holdsFor(StoredRecord current) {
        boolean live = current != null && !current.deleted();
        return switch (kind) {
            case ANY -> true;
            case ABSENT -> !live;
            case MATCH -> live && etag.equals(current.etag());
        };
    }
}
