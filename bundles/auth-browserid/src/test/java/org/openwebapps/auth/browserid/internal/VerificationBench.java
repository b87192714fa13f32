package org.openwebapps.auth.browserid.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.openwebapps.browserid.Algorithm;
import org.openwebapps.browserid.BrowserIdException;
import org.openwebapps.browserid.Certificates;
import org.openwebapps.browserid.PublicKeys;
import org.openwebapps.browserid.SigningKey;

/**
 * Local verifications per second on one thread, per IdP key × user key algorithm, with the
 * support document in a warm cache. Not a test: run by tools/bench/browserid.sh.
 *
 * <p>{@code VerificationBench [seconds per pair]}
 */
public final class VerificationBench {

    private static final String RP = "https://rp.example";
    private static final Algorithm[] IDP = {Algorithm.RS256, Algorithm.RS128, Algorithm.DS128, Algorithm.DS256};
    private static final Algorithm[] USER = {Algorithm.DS128, Algorithm.RS256, Algorithm.RS128, Algorithm.DS256};

    private VerificationBench() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        System.out.printf(Locale.ROOT, "local verifications/s, 1 thread, warm support-document cache, %.0f s per pair%n",
                seconds);
        System.out.printf(Locale.ROOT, "%-10s", "IdP\\user");
        for (Algorithm user : USER) {
            System.out.printf(Locale.ROOT, "%10s", user);
        }
        System.out.println();
        for (Algorithm idpAlgorithm : IDP) {
            System.out.printf(Locale.ROOT, "%-10s", idpAlgorithm);
            for (Algorithm userAlgorithm : USER) {
                System.out.printf(Locale.ROOT, "%10.0f", rate(idpAlgorithm, userAlgorithm, seconds));
            }
            System.out.println();
        }
    }

    private static double rate(Algorithm idpAlgorithm, Algorithm userAlgorithm, double seconds)
            throws BrowserIdException, VerifierUnavailable {
        SigningKey idp = SigningKey.generate(idpAlgorithm);
        SupportDocument document = new SupportDocument.Supported(List.of(PublicKeys.fromJson(idp.publicKeyJson(), false)));
        SupportDocumentSource cached = new CachedSupportDocuments((domain, principal) -> document, Clock.systemUTC(),
                Duration.ofHours(1), Duration.ofSeconds(10), 1000);
        LocalVerifier verifier = new LocalVerifier(cached, Clock.systemUTC(), Duration.ofSeconds(30), false, null,
                Set.of(), 5);
        long now = System.currentTimeMillis();
        List<String> assertions = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            SigningKey user = SigningKey.generate(userAlgorithm);
            String email = "user" + i + "@idp.example";
            assertions.add(Certificates.backed(
                    Certificates.certificate(idp, "idp.example", Map.of("email", email), user, now, now + 3_600_000),
                    Certificates.assertion(user, RP, now + 3_600_000)));
        }
        run(verifier, assertions, 1.0); // warm-up
        return run(verifier, assertions, seconds);
    }

    private static double run(LocalVerifier verifier, List<String> assertions, double seconds)
            throws BrowserIdException, VerifierUnavailable {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        long count = 0;
        while (System.nanoTime() < end) {
            verifier.verify(assertions.get((int) (count % assertions.size())), RP, Set.of());
            count++;
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }
}
