package org.openwebapps.marketplace.receipts.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The root key: generated once with mode 600, or read from PKCS#8; earlier keys published. */
class RootKeysTest {

    @TempDir
    Path dir;

    private static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    private Path pem(String name, String type, byte[] der) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END " + type + "-----\n", StandardCharsets.US_ASCII);
        return file;
    }

    @Test
    void aGeneratedKeyIsPrivateToItsOwnerAndKept() throws Exception {
        Path generated = dir.resolve("data/marketplace/receipts/root-key.pem");
        RootKeys first = RootKeys.load(null, generated, List.of());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(generated)));
        assertTrue(Files.readString(generated).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(first.current().size() >= 2048);
        assertEquals(first.current().getKeyID(), RootKeys.load(null, generated, List.of()).current().getKeyID(),
                "the next start reads the same key");
    }

    @Test
    void aConfiguredKeyAndEarlierOnesArePublished() throws Exception {
        KeyPair current = rsa(2048);
        KeyPair earlier = rsa(2048);
        KeyPair older = rsa(3072);
        RootKeys keys = RootKeys.load(pem("root.pem", "PRIVATE KEY", current.getPrivate().getEncoded()), dir.resolve("unused.pem"),
                List.of(pem("earlier.pem", "PUBLIC KEY", earlier.getPublic().getEncoded()),
                        pem("older.pem", "PRIVATE KEY", older.getPrivate().getEncoded())));
        assertEquals(current.getPublic(), keys.current().toRSAPublicKey());
        assertEquals(3, keys.published().size());
        assertEquals(keys.current().getKeyID(), keys.published().get(0).getKeyID(), "the current key first");
        assertEquals(earlier.getPublic(), keys.published().get(1).toRSAPublicKey());
        assertNotNull(keys.byId(keys.published().get(2).getKeyID()));
        keys.published().forEach(key -> assertTrue(!key.isPrivate(), "only public parts are published"));
        assertTrue(Files.notExists(dir.resolve("unused.pem")), "nothing generated when a key is configured");
    }

    @Test
    void unusableKeysAreRefusedClearly() throws Exception {
        KeyPair small = rsa(1024);
        Path generated = dir.resolve("g.pem");
        IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class,
                () -> RootKeys.load(pem("small.pem", "PRIVATE KEY", small.getPrivate().getEncoded()), generated, List.of()));
        assertTrue(tooSmall.getMessage().contains("1024 bits"), tooSmall.getMessage());
        IllegalArgumentException pkcs1 = assertThrows(IllegalArgumentException.class,
                () -> RootKeys.load(pem("rsa.pem", "RSA PRIVATE KEY", new byte[] {1, 2, 3}), generated, List.of()));
        assertTrue(pkcs1.getMessage().contains("PKCS#8"), pkcs1.getMessage());
        KeyPair key = rsa(2048);
        assertThrows(IllegalArgumentException.class,
                () -> RootKeys.load(pem("public.pem", "PUBLIC KEY", key.getPublic().getEncoded()), generated, List.of()));
        Path text = Files.writeString(dir.resolve("text.pem"), "not a key");
        assertThrows(IllegalArgumentException.class, () -> RootKeys.load(text, generated, List.of()));
    }
}
