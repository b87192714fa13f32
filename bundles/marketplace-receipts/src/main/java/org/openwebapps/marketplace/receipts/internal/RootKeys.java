package org.openwebapps.marketplace.receipts.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;

/**
 * The root key that certifies every node's signing keys, and the earlier root keys still
 * published. All nodes must read the same root key file; a generated one is this node's alone
 * until it is copied to the others.
 */
final class RootKeys {

    static final int MIN_BITS = 2048;
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private final RSAKey current;
    private final Map<String, RSAKey> published = new LinkedHashMap<>();

    RootKeys(RSAKey current, List<RSAKey> previous) {
        this.current = current;
        published.put(current.getKeyID(), current.toPublicJWK());
        previous.forEach(key -> published.putIfAbsent(key.getKeyID(), key.toPublicJWK()));
    }

    /**
     * @param file     the configured root key, or null to use (or first create) {@code generated}
     * @param previous earlier root keys' files
     */
    static RootKeys load(Path file, Path generated, List<Path> previous) {
        RSAKey current = file != null ? read(file, true) : readOrCreate(generated);
        List<RSAKey> earlier = new ArrayList<>();
        previous.forEach(path -> earlier.add(read(path, false)));
        return new RootKeys(current, earlier);
    }

    /** The key that signs new certificates, with its private part. */
    RSAKey current() {
        return current;
    }

    /** @return a published root key's public part, or null */
    RSAKey byId(String kid) {
        return kid == null ? null : published.get(kid);
    }

    /** The published keys' public parts, the current one first. */
    List<RSAKey> published() {
        return List.copyOf(published.values());
    }

    private static RSAKey readOrCreate(Path generated) {
        if (!Files.exists(generated)) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(MIN_BITS);
                byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
                String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8)
                        + "\n-----END PRIVATE KEY-----\n";
                Files.createDirectories(generated.getParent());
                Path temporary = generated.resolveSibling(generated.getFileName() + ".new");
                Files.deleteIfExists(temporary);
                try {
                    Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException e) {
                    Files.createFile(temporary); // not a POSIX file system: left to the directory's permissions
                }
                Files.writeString(temporary, pem, StandardCharsets.US_ASCII);
                try {
                    Files.move(temporary, generated, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException e) {
                    Files.deleteIfExists(temporary); // another activation made one first: use theirs
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the root key file " + generated, e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("every Java makes RSA keys", e);
            }
        }
        return read(generated, true);
    }

    /** @param privateKey whether the file must hold a private key (else a public one is enough) */
    static RSAKey read(Path file, boolean privateKey) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the root key file " + file, e);
        }
        Matcher pem = PEM.matcher(text);
        if (!pem.find()) {
            throw new IllegalArgumentException("the root key file " + file + " is not PEM");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.group(2));
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAKey key;
            switch (pem.group(1)) {
                case "PRIVATE KEY" -> {
                    if (!(rsa.generatePrivate(new PKCS8EncodedKeySpec(der)) instanceof RSAPrivateCrtKey crt)) {
                        throw new IllegalArgumentException("the root key file " + file + " holds no RSA CRT private key");
                    }
                    RSAPublicKey publicKey = (RSAPublicKey) rsa.generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
                    key = new RSAKey.Builder(publicKey).privateKey(crt).keyIDFromThumbprint().build();
                }
                case "PUBLIC KEY" -> {
                    if (privateKey) {
                        throw new IllegalArgumentException("the root key file " + file + " holds a public key; the root key must be private");
                    }
                    key = new RSAKey.Builder((RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(der))).keyIDFromThumbprint().build();
                }
                default -> throw new IllegalArgumentException("the root key file " + file + " holds a " + pem.group(1)
                        + "; expected PKCS#8 (BEGIN PRIVATE KEY; convert with openssl pkcs8 -topk8 -nocrypt)");
            }
            if (key.size() < MIN_BITS) {
                throw new IllegalArgumentException("the root key in " + file + " has " + key.size() + " bits; at least " + MIN_BITS);
            }
            return key;
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalArgumentException("the root key file " + file + " holds no RSA key: " + e.getMessage(), e);
        }
    }
}
