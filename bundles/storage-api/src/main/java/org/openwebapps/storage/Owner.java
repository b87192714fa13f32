package org.openwebapps.storage;

import java.util.Objects;

/**
 * Who owns a set of keys: a bucket (an application's normalised origin) and a user.
 *
 * @param bucket the bucket
 * @param user   the user
 */
public record Owner(String bucket, String user) {

    public Owner {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(user, "user");
    }
}
