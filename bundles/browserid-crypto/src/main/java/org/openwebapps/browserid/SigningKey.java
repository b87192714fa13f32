package org.openwebapps.browserid;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Map;
import java.util.Objects;

/** A key pair that signs as one {@link Algorithm}: an IdP's root key or a user's key. */
public final class SigningKey {

    private final Algorithm algorithm;
    private final KeyPair keyPair;

    private SigningKey(Algorithm algorithm, KeyPair keyPair) {
        this.algorithm = algorithm;
        this.keyPair = keyPair;
    }

    /** @return a fresh key pair of the algorithm's size (DSA on the published parameters) */
    public static SigningKey generate(Algorithm algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.isDsa() ? "DSA" : "RSA");
            if (algorithm.isDsa()) {
                generator.initialize(algorithm.dsaParameters());
            } else {
                generator.initialize(algorithm.keyBits());
            }
            return new SigningKey(algorithm, generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate " + algorithm + " keys", e);
        }
    }

    /** @return a key pair kept elsewhere, e.g. loaded from a key store */
    public static SigningKey of(Algorithm algorithm, KeyPair keyPair) {
        return new SigningKey(Objects.requireNonNull(algorithm), Objects.requireNonNull(keyPair));
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    public PublicKey publicKey() {
        return keyPair.getPublic();
    }

    public PrivateKey privateKey() {
        return keyPair.getPrivate();
    }

    /** @return the public key in legacy JSON, for a certificate's {@code public-key} or a support document */
    public Map<String, Object> publicKeyJson() {
        return PublicKeys.toJson(keyPair.getPublic());
    }

    /** @return the signature of {@code data}: PKCS#1 v1.5 for RSA, raw {@code r||s} for DSA */
    public byte[] sign(byte[] data) {
        try {
            Signature signature = Signature.getInstance(algorithm.jcaName());
            signature.initSign(keyPair.getPrivate());
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing with " + algorithm + " failed", e);
        }
    }
}
