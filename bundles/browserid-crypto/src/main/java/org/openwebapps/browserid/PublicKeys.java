package org.openwebapps.browserid;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.DSAParameterSpec;
import java.security.spec.DSAPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * BrowserID public keys to and from their JSON forms: legacy ({@code {"algorithm":"RS","n","e"}}
 * in decimal, {@code {"algorithm":"DS","p","q","g","y"}} in lowercase hex) and {@code kty}
 * ({@code {"kty":"RSA"|"DSA", ...}} in unpadded base64url).
 */
public final class PublicKeys {

    /** A DSA public value on its group's modulus. */
    private record DsaValue(BigInteger p, BigInteger y) {
    }

    /** DSA public values that passed the subgroup check (on the published parameters only). */
    private static final Map<DsaValue, Boolean> CHECKED_DSA_KEYS = new ConcurrentHashMap<>();
    private static final int MAX_CHECKED_DSA_KEYS = 10_000;

    private PublicKeys() {
    }

    /** A public key with the algorithm its size implies. */
    public record SizedKey(Algorithm algorithm, PublicKey key) {
    }

    /**
     * @param json           the key object of a certificate or support document
     * @param allowWeakKeys  whether {@link Algorithm#RS64} is acceptable
     * @throws BrowserIdException malformed, unknown size, or weak
     */
    public static SizedKey fromJson(Object json, boolean allowWeakKeys) throws BrowserIdException {
        if (!(json instanceof Map<?, ?> map)) {
            throw new BrowserIdException("malformed public key: not an object");
        }
        try {
            Object kty = map.get("kty");
            String family;
            if (kty != null) {
                family = switch (String.valueOf(kty)) {
                    case "RSA" -> "RS";
                    case "DSA" -> "DS";
                    default -> throw new BrowserIdException("unsupported key type " + kty);
                };
            } else {
                family = String.valueOf(map.get("algorithm"));
            }
            int radix = kty != null ? -1 : family.equals("RS") ? 10 : 16;
            SizedKey key = switch (family) {
                case "RS" -> rsa(number(map, "n", radix), number(map, "e", radix));
                case "DS" -> dsa(number(map, "p", radix), number(map, "q", radix), number(map, "g", radix),
                        number(map, "y", radix));
                default -> throw new BrowserIdException("unsupported key algorithm " + family);
            };
            if (key.algorithm() == Algorithm.RS64 && !allowWeakKeys) {
                throw new BrowserIdException("weak key (RS64) refused");
            }
            return key;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new BrowserIdException("malformed public key");
        }
    }

    /** @return the legacy JSON form of a key, which every BrowserID implementation reads */
    public static Map<String, Object> toJson(PublicKey key) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (key instanceof RSAPublicKey rsa) {
            json.put("algorithm", "RS");
            json.put("n", rsa.getModulus().toString(10));
            json.put("e", rsa.getPublicExponent().toString(10));
        } else if (key instanceof DSAPublicKey dsa) {
            json.put("algorithm", "DS");
            json.put("y", dsa.getY().toString(16));
            json.put("p", dsa.getParams().getP().toString(16));
            json.put("q", dsa.getParams().getQ().toString(16));
            json.put("g", dsa.getParams().getG().toString(16));
        } else {
            throw new IllegalArgumentException("not an RSA or DSA key: " + key.getAlgorithm());
        }
        return json;
    }

    /** @return the {@code kty} JSON form of a key */
    public static Map<String, Object> toKtyJson(PublicKey key) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (key instanceof RSAPublicKey rsa) {
            json.put("kty", "RSA");
            json.put("n", base64url(rsa.getModulus()));
            json.put("e", base64url(rsa.getPublicExponent()));
        } else if (key instanceof DSAPublicKey dsa) {
            json.put("kty", "DSA");
            json.put("y", base64url(dsa.getY()));
            json.put("p", base64url(dsa.getParams().getP()));
            json.put("q", base64url(dsa.getParams().getQ()));
            json.put("g", base64url(dsa.getParams().getG()));
        } else {
            throw new IllegalArgumentException("not an RSA or DSA key: " + key.getAlgorithm());
        }
        return json;
    }

    private static SizedKey rsa(BigInteger n, BigInteger e) throws GeneralSecurityException, BrowserIdException {
        Algorithm algorithm = Algorithm.forKey("RS", n)
                .orElseThrow(() -> new BrowserIdException("unsupported RSA key size " + n.bitLength()));
        // e = 1 makes every message its own signature; an even e is no RSA key at all
        if (e.compareTo(BigInteger.valueOf(3)) < 0 || !e.testBit(0) || e.compareTo(n) >= 0) {
            throw new BrowserIdException("malformed public key: bad RSA exponent");
        }
        return new SizedKey(algorithm, KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e)));
    }

    private static SizedKey dsa(BigInteger p, BigInteger q, BigInteger g, BigInteger y)
            throws GeneralSecurityException, BrowserIdException {
        Algorithm algorithm = Algorithm.forKey("DS", p)
                .orElseThrow(() -> new BrowserIdException("unsupported DSA key size " + p.bitLength()));
        DSAParameterSpec expected = algorithm.dsaParameters();
        // Only the published domain parameters: a key on other parameters could be weak.
        if (!p.equals(expected.getP()) || !q.equals(expected.getQ()) || !g.equals(expected.getG())) {
            throw new BrowserIdException("DSA key with unknown domain parameters");
        }
        // y in [2, p-1) and in the subgroup of order q: otherwise signatures can be forged
        if (y.compareTo(BigInteger.TWO) < 0 || y.compareTo(p.subtract(BigInteger.ONE)) >= 0 || !inSubgroup(y, p, q)) {
            throw new BrowserIdException("malformed public key: DSA key outside its group");
        }
        return new SizedKey(algorithm, KeyFactory.getInstance("DSA").generatePublic(new DSAPublicKeySpec(y, p, q, g)));
    }

    /**
     * {@code y^q mod p == 1}, remembered for keys that passed: the check costs half a DSA
     * verification, and a user's key signs every assertion of its certificate's lifetime.
     */
    private static boolean inSubgroup(BigInteger y, BigInteger p, BigInteger q) {
        DsaValue value = new DsaValue(p, y);
        if (CHECKED_DSA_KEYS.containsKey(value)) {
            return true;
        }
        if (!y.modPow(q, p).equals(BigInteger.ONE)) {
            return false;
        }
        if (CHECKED_DSA_KEYS.size() >= MAX_CHECKED_DSA_KEYS) {
            CHECKED_DSA_KEYS.clear(); // bounded: start over rather than grow
        }
        CHECKED_DSA_KEYS.put(value, Boolean.TRUE);
        return true;
    }

    private static BigInteger number(Map<?, ?> map, String name, int radix) throws BrowserIdException {
        if (!(map.get(name) instanceof String text) || text.isEmpty() || text.length() > 2048) {
            throw new BrowserIdException("malformed public key: " + name);
        }
        BigInteger value = radix < 0 ? new BigInteger(1, Base64.getUrlDecoder().decode(text)) : new BigInteger(text, radix);
        if (value.signum() <= 0) {
            throw new BrowserIdException("malformed public key: " + name);
        }
        return value;
    }

    private static String base64url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        int skip = bytes.length > 1 && bytes[0] == 0 ? 1 : 0; // unsigned big-endian
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOfRange(bytes, skip, bytes.length));
    }
}
