package org.openwebapps.storage.hbase.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

import org.openwebapps.storage.Owner;
import org.openwebapps.storage.StoredRecord;

/**
 * How Sauropod's data sits in HBase: one row per (bucket, user), one column per key in family
 * {@code d}, and a meta column holding the row's last write timestamp.
 *
 * <ul>
 * <li>Row key: 4 bytes of MD5(bucket, user), so users spread evenly over regions, then the
 * bucket, a 0 byte and the user (names never contain NUL, so it cannot be forged).</li>
 * <li>Column qualifier: the key's UTF-8 bytes; HBase sorts qualifiers bytewise, as the SPI
 * orders keys. The meta column is the single byte 0, which no key can be.</li>
 * <li>Cell value: the write's timestamp (8 bytes), a kind byte (0 live, 1 tombstone), the value.</li>
 * </ul>
 */
final class RowCodec {

    static final byte[] FAMILY = {'d'};
    /** Qualifier of the row's last timestamp: the byte 0, never a valid key. */
    static final byte[] META = {0};

    private static final byte LIVE = 0;
    private static final byte TOMBSTONE = 1;

    private RowCodec() {
    }

    static byte[] rowKey(String bucket, String user) {
        byte[] b = bucket.getBytes(UTF_8);
        byte[] u = user.getBytes(UTF_8);
        ByteBuffer names = ByteBuffer.allocate(b.length + 1 + u.length).put(b).put((byte) 0).put(u);
        byte[] hash = md5(names.array());
        return ByteBuffer.allocate(4 + names.capacity()).put(hash, 0, 4).put(names.array()).array();
    }

    /** The owner of a row, read back from its key. */
    static Owner owner(byte[] rowKey) {
        int separator = 4;
        while (rowKey[separator] != 0) {
            separator++;
        }
        return new Owner(new String(rowKey, 4, separator - 4, UTF_8),
                new String(rowKey, separator + 1, rowKey.length - separator - 1, UTF_8));
    }

    static byte[] cell(long timestamp, byte[] value) {
        byte[] payload = value == null ? new byte[0] : value;
        return ByteBuffer.allocate(9 + payload.length)
                .putLong(timestamp).put(value == null ? TOMBSTONE : LIVE).put(payload).array();
    }

    static StoredRecord record(byte[] qualifier, byte[] cell) {
        String key = new String(qualifier, UTF_8);
        ByteBuffer buffer = ByteBuffer.wrap(cell);
        long timestamp = buffer.getLong();
        if (buffer.get() == TOMBSTONE) {
            return StoredRecord.tombstone(key, timestamp);
        }
        return StoredRecord.live(key, Arrays.copyOfRange(cell, 9, cell.length), timestamp);
    }

    static byte[] timestamp(long timestamp) {
        return ByteBuffer.allocate(8).putLong(timestamp).array();
    }

    static long timestamp(byte[] bytes) {
        return bytes == null ? 0 : ByteBuffer.wrap(bytes).getLong();
    }

    private static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }
}
