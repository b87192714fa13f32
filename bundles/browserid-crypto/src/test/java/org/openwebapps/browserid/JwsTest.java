package org.openwebapps.browserid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class JwsTest {

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void signedObjectsVerifyWithTheirKeyInEitherJsonForm(Algorithm algorithm) throws Exception {
        SigningKey key = SigningKey.generate(algorithm);
        Jws jws = Jws.parse(Jws.sign(Map.of("aud", "https://rp.example", "exp", 1_700_000_000_000L), key));

        assertEquals(algorithm, jws.algorithm());
        assertEquals("https://rp.example", jws.payload().get("aud"));
        jws.verify(PublicKeys.fromJson(key.publicKeyJson(), true));
        jws.verify(PublicKeys.fromJson(PublicKeys.toKtyJson(key.publicKey()), true));
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void aCorruptedSignatureIsInvalid(Algorithm algorithm) throws Exception {
        SigningKey key = SigningKey.generate(algorithm);
        String compact = Jws.sign(Map.of("exp", 1L), key);
        byte[] signature = Base64.getUrlDecoder().decode(compact.substring(compact.lastIndexOf('.') + 1));
        signature[signature.length / 2] ^= 0x01;
        String corrupted = compact.substring(0, compact.lastIndexOf('.') + 1)
                + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);

        BrowserIdException e = assertThrows(BrowserIdException.class,
                () -> Jws.parse(corrupted).verify(PublicKeys.fromJson(key.publicKeyJson(), true)));
        assertEquals("invalid signature", e.getMessage());
    }

    @Test
    void theHeaderMustNameTheKeysAlgorithmAndSize() throws Exception {
        SigningKey small = SigningKey.generate(Algorithm.RS128);
        SigningKey big = SigningKey.generate(Algorithm.RS256);
        Jws jws = Jws.parse(Jws.sign(Map.of("exp", 1L), small));

        BrowserIdException e = assertThrows(BrowserIdException.class,
                () -> jws.verify(PublicKeys.fromJson(big.publicKeyJson(), false)));
        assertEquals("algorithms do not match: signed RS128, key is RS256", e.getMessage());
    }

    @Test
    void weakKeysAreRefusedUnlessAllowed() {
        SigningKey weak = SigningKey.generate(Algorithm.RS64);
        BrowserIdException e = assertThrows(BrowserIdException.class,
                () -> PublicKeys.fromJson(weak.publicKeyJson(), false));
        assertEquals("weak key (RS64) refused", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "JUNK", "J", "\u0001\u0002", "a.b", "a.b.c.d", "e30.e30.", "W10.e30.AA", "e30.e30.AA",
            "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.AA"})
    void junkIsMalformed(String junk) {
        BrowserIdException e = assertThrows(BrowserIdException.class, () -> Jws.parse(junk));
        assertTrue(e.getMessage().startsWith("malformed") || e.getMessage().startsWith("unsupported algorithm"),
                e.getMessage());
    }

    @Test
    void dsaKeysOnOtherDomainParametersAreRefused() {
        Map<String, Object> json = new HashMap<>(SigningKey.generate(Algorithm.DS128).publicKeyJson());
        json.put("g", "2");
        assertThrows(BrowserIdException.class, () -> PublicKeys.fromJson(json, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "2", "4", "65536"})
    void rsaKeysWithAnExponentBelowThreeOrEvenAreRefused(String exponent) {
        Map<String, Object> json = new HashMap<>(SigningKey.generate(Algorithm.RS256).publicKeyJson());
        json.put("e", exponent);
        BrowserIdException e = assertThrows(BrowserIdException.class, () -> PublicKeys.fromJson(json, false));
        assertEquals("malformed public key: bad RSA exponent", e.getMessage());
    }

    @Test
    void dsaKeysOutsideTheSubgroupAreRefused() {
        Map<String, Object> json = new HashMap<>(SigningKey.generate(Algorithm.DS128).publicKeyJson());
        BigInteger p = new BigInteger((String) json.get("p"), 16);
        for (BigInteger y : new BigInteger[] {BigInteger.ONE, p.subtract(BigInteger.ONE), BigInteger.TWO.pow(100).add(BigInteger.ONE)}) {
            json.put("y", y.toString(16));
            BrowserIdException e = assertThrows(BrowserIdException.class, () -> PublicKeys.fromJson(json, false), y.toString());
            assertEquals("malformed public key: DSA key outside its group", e.getMessage());
        }
    }
}
