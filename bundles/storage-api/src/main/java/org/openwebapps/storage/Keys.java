package org.openwebapps.storage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Key ordering: ascending by the unsigned bytes of the UTF-8 encoding, as every backend sorts. */
public final class Keys {

    private Keys() {
    }

    /** Compares two keys by their UTF-8 bytes. */
    public static int compare(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
