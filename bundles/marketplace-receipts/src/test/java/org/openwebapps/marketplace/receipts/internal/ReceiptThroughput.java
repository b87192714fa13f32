package org.openwebapps.marketplace.receipts.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.openwebapps.marketplace.PurchaseCheck;
import org.openwebapps.marketplace.receipts.ReceiptIssuer;

/**
 * Receipts signed and verified per second on one thread, without HTTP or storage (a benchmark,
 * not a test: tools/bench/receipts.sh runs it). Each measurement runs 3 s to warm up, then 5 s.
 */
public final class ReceiptThroughput {

    private static volatile Object sink;

    private ReceiptThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("receipt-throughput");
        ReceiptSigner signer = new ReceiptSigner(RootKeys.load(null, dir.resolve("root-key.pem"), List.of()), Clock.systemUTC(),
                15_724_800, 3600, 86_400);
        ReceiptIssuer.Product product = new ReceiptIssuer.Product(17, "https://game.example");
        String uuid = "6f1c1d8e-8c1a-4a47-9d3e-2b7b8a3c9d10";
        String site = "https://store.example";
        String receipt = signer.issue(product, uuid, site);
        ReceiptChain chain = new ReceiptChain(signer.roots());
        Verifier verifier = new Verifier(signer, true);
        PurchaseCheck.PurchaseStatus completed = new PurchaseCheck.PurchaseStatus(uuid, 17, "COMPLETED");
        System.out.printf("one thread, RSA 2048, %s %s%n", System.getProperty("java.vm.name"), System.getProperty("java.version"));
        measure("sign a receipt", () -> signer.issue(product, uuid, site));
        measure("verify (cert known)", () -> decode(chain, receipt));
        measure("verify (cert new)", () -> decode(new ReceiptChain(signer.roots()), receipt));
        measure("verifier verdict", () -> {
            try {
                return verifier.verify(receipt, "17", site, id -> Optional.of(completed));
            } catch (PurchaseCheck.UnavailableException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Object decode(ReceiptChain chain, String receipt) {
        try {
            return chain.decode(receipt);
        } catch (ReceiptChain.Invalid e) {
            throw new IllegalStateException(e);
        }
    }

    private static void measure(String name, Supplier<Object> operation) {
        run(operation, 3_000_000_000L);
        long started = System.nanoTime();
        long count = run(operation, 5_000_000_000L);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%-22s %10.0f per second  (%.3f ms each)%n", name, count / seconds, seconds * 1000 / count);
    }

    private static long run(Supplier<Object> operation, long nanos) {
        long deadline = System.nanoTime() + nanos;
        long count = 0;
        while (System.nanoTime() < deadline) {
            sink = operation.get();
            count++;
        }
        return count;
    }
}
