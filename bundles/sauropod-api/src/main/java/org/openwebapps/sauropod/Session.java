package org.openwebapps.sauropod;

import java.time.Instant;
import java.util.Objects;

/**
 * A verified user of one bucket until an expiry, as its token proves.
 *
 * @param token   the signed token that carries it (a bearer secret: never log it)
 * @param user    the user's verified email
 * @param bucket  the bucket: the normalised audience origin the credential was made for
 * @param expires when the token stops being accepted
 */
public record Session(String token, String user, String bucket, Instant expires) {

    public Session {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(expires, "expires");
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "Session[user=" + user + ", bucket=" + bucket + ", expires=" + expires + "]";
    }
}
