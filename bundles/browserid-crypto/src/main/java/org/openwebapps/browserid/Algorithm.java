package org.openwebapps.browserid;

import java.math.BigInteger;
import java.security.spec.DSAParameterSpec;
import java.util.Optional;

/**
 * The JWS {@code alg} values of BrowserID: a family ({@code RS}, {@code DS}) and a key-size label.
 * RSA signs PKCS#1 v1.5 with SHA-256 at every size; DSA uses the fixed FIPS 186-3 domain
 * parameters that every BrowserID implementation shares, with raw {@code r||s} signatures.
 */
public enum Algorithm {
    /** RSA 512: only for tests, refused unless weak keys are allowed. */
    RS64("RS", 512, "SHA256withRSA", null),
    RS128("RS", 1024, "SHA256withRSA", null),
    RS256("RS", 2048, "SHA256withRSA", null),
    /** DSA 1024/160 with SHA-1 (also written DS160). */
    DS128("DS", 1024, "SHA1withDSAinP1363Format", DsaParameters.P1024_Q160),
    /** DSA 2048/256 with SHA-256. */
    DS256("DS", 2048, "SHA256withDSAinP1363Format", DsaParameters.P2048_Q256);

    private final String family;
    private final int keyBits;
    private final String jcaName;
    private final DSAParameterSpec dsaParameters;

    Algorithm(String family, int keyBits, String jcaName, DSAParameterSpec dsaParameters) {
        this.family = family;
        this.keyBits = keyBits;
        this.jcaName = jcaName;
        this.dsaParameters = dsaParameters;
    }

    /** @return {@code RS} or {@code DS}, the {@code algorithm} of a legacy key JSON */
    public String family() {
        return family;
    }

    /** @return the RSA modulus or DSA {@code p} size in bits */
    public int keyBits() {
        return keyBits;
    }

    /** @return the JCA signature algorithm */
    public String jcaName() {
        return jcaName;
    }

    /** @return DSA's domain parameters, null for RSA */
    public DSAParameterSpec dsaParameters() {
        return dsaParameters;
    }

    /** @return whether this is DSA */
    public boolean isDsa() {
        return dsaParameters != null;
    }

    /** @return the algorithm a JWS header names, if any ({@code DS160} is {@code DS128}) */
    public static Optional<Algorithm> forHeader(String alg) {
        if ("DS160".equals(alg)) {
            return Optional.of(DS128);
        }
        for (Algorithm algorithm : values()) {
            if (algorithm.name().equals(alg)) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    /**
     * The size label of a key, as BrowserID infers it: the RSA modulus length (within a bit) or
     * the DSA {@code p} length (up to 30 bits short).
     */
    static Optional<Algorithm> forKey(String family, BigInteger modulusOrP) {
        int bits = modulusOrP.bitLength();
        for (Algorithm algorithm : values()) {
            if (!algorithm.family.equals(family)) {
                continue;
            }
            int shortBy = algorithm.keyBits - bits;
            boolean fits = algorithm.isDsa() ? shortBy >= 0 && shortBy < 30 : Math.abs(shortBy) <= 1;
            if (fits) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    /** The published domain parameters (FIPS 186-3 test vectors, A.2.3), shared by every BrowserID party. */
    private static final class DsaParameters {
        static final DSAParameterSpec P1024_Q160 = new DSAParameterSpec(
                new BigInteger("ff600483db6abfc5b45eab78594b3533d550d9f1bf2a992a7a8daa6dc34f8045ad4e6e0c429d334eeeaaefd7e23d4810be00e4cc1492cba325ba81ff2d5a5b305a8d17eb3bf4a06a349d392e00d329744a5179380344e82a18c47933438f891e22aeef812d69c8f75e326cb70ea000c3f776dfdbd604638c2ef717fc26d02e17", 16),
                new BigInteger("e21e04f911d1ed7991008ecaab3bf775984309c3", 16),
                new BigInteger("c52a4a0ff3b7e61fdf1867ce84138369a6154f4afa92966e3c827e25cfa6cf508b90e5de419e1337e07a2e9e2a3cd5dea704d175f8ebf6af397d69e110b96afb17c7a03259329e4829b0d03bbc7896b15b4ade53e130858cc34d96269aa89041f409136c7242a38895c9d5bccad4f389af1d7a4bd1398bd072dffa896233397a", 16));
        static final DSAParameterSpec P2048_Q256 = new DSAParameterSpec(
                new BigInteger("d6c4e5045697756c7a312d02c2289c25d40f9954261f7b5876214b6df109c738b76226b199bb7e33f8fc7ac1dcc316e1e7c78973951bfc6ff2e00cc987cd76fcfb0b8c0096b0b460fffac960ca4136c28f4bfb580de47cf7e7934c3985e3b3d943b77f06ef2af3ac3494fc3c6fc49810a63853862a02bb1c824a01b7fc688e4028527a58ad58c9d512922660db5d505bc263af293bc93bcd6d885a157579d7f52952236dd9d06a4fc3bc2247d21f1a70f5848eb0176513537c983f5a36737f01f82b44546e8e7f0fabc457e3de1d9c5dba96965b10a2a0580b0ad0f88179e10066107fb74314a07e6745863bc797b7002ebec0b000a98eb697414709ac17b401", 16),
                new BigInteger("b1e370f6472c8754ccd75e99666ec8ef1fd748b748bbbc08503d82ce8055ab3b", 16),
                new BigInteger("9a8269ab2e3b733a5242179d8f8ddb17ff93297d9eab00376db211a22b19c854dfa80166df2132cbc51fb224b0904abb22da2c7b7850f782124cb575b116f41ea7c4fc75b1d77525204cd7c23a15999004c23cdeb72359ee74e886a1dde7855ae05fe847447d0a68059002c3819a75dc7dcbb30e39efac36e07e2c404b7ca98b263b25fa314ba93c0625718bd489cea6d04ba4b0b7f156eeb4c56c44b50e4fb5bce9d7ae0d55b379225feb0214a04bed72f33e0664d290e7c840df3e2abb5e48189fa4e90646f1867db289c6560476799f7be8420a6dc01d078de437f280fff2d7ddf1248d56e1a54b933a41629d6c252983c58795105802d30d7bcd819cf6ef", 16));
    }
}
