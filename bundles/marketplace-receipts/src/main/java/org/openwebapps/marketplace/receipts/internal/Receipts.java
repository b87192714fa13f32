package org.openwebapps.marketplace.receipts.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.openwebapps.marketplace.receipts.ReceiptIssuer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receipts module: this node's {@link ReceiptSigner} (its signing key replaced on schedule)
 * and {@link Verifier}. A configuration change swaps both in place, so the endpoints never go
 * away: the root keys are read again and a new signing key is certified; receipts signed before
 * stay valid.
 */
@Component(service = {ReceiptIssuer.class, Receipts.class}, configurationPid = Receipts.PID)
@Designate(ocd = ReceiptsConfiguration.class)
public final class Receipts implements ReceiptIssuer {

    static final String PID = "org.openwebapps.marketplace.receipts";
    private static final Logger LOG = LoggerFactory.getLogger(Receipts.class);

    /** What one configuration makes. */
    private record State(ReceiptSigner signer, Verifier verifier, int retryAfterSeconds, ScheduledFuture<?> rotation) {
    }

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "receipt-signing-key-rotation");
        thread.setDaemon(true);
        return thread;
    });
    private volatile State state;

    @Activate
    public Receipts(ReceiptsConfiguration config) {
        modified(config);
    }

    @Modified
    void modified(ReceiptsConfiguration config) {
        String file = config.root_key_file() == null ? "" : config.root_key_file().trim();
        List<Path> previous = Arrays.stream(config.root_key_previous_files() == null ? new String[0] : config.root_key_previous_files())
                .flatMap(paths -> Arrays.stream(paths.split(","))).map(String::trim).filter(path -> !path.isEmpty())
                .map(Path::of).toList();
        RootKeys roots = RootKeys.load(file.isEmpty() ? null : Path.of(file), generatedRootKey(), previous);
        ReceiptSigner signer = new ReceiptSigner(roots, Clock.systemUTC(), config.receipt_expiry_seconds(),
                config.test_receipt_expiry_seconds(), config.signing_key_rotate_seconds());
        long period = signer.rotateSeconds();
        State old = state;
        state = new State(signer, new Verifier(signer, config.expired_send_receipt()), Math.max(0, config.retry_after_seconds()),
                scheduler.scheduleAtFixedRate(() -> rotate("scheduled"), period, period, TimeUnit.SECONDS));
        if (old != null) {
            old.rotation().cancel(false);
        }
        LOG.info("Receipts: root key {} ({}), {} earlier root key(s) published, signing key {}", roots.current().getKeyID(),
                file.isEmpty() ? generatedRootKey() : file, roots.published().size() - 1, signer.signingKey().kid());
    }

    @Deactivate
    void deactivate() {
        scheduler.shutdownNow();
    }

    /** Where the root key is made when none is configured. */
    static Path generatedRootKey() {
        return Path.of(System.getProperty("karaf.data", "data"), "marketplace", "receipts", "root-key.pem");
    }

    /** @return the retired and the new signing key's ids */
    String[] rotate(String why) {
        ReceiptSigner signer = state.signer();
        try {
            String retired = signer.signingKey().kid();
            String now = signer.rotate().kid();
            LOG.info("Receipt signing key {} retired ({}), {} signs now", retired, why, now);
            return new String[] {retired, now};
        } catch (RuntimeException e) {
            LOG.warn("Receipt signing key not rotated ({}): {}", why, e.toString());
            throw e;
        }
    }

    @Override
    public String issue(Product product, String purchaseUuid, String siteUrl) {
        return state.signer().issue(product, purchaseUuid, siteUrl);
    }

    @Override
    public boolean stale(String receipt) {
        return state.signer().stale(receipt);
    }

    String issueTest(String productUrl, String type, String siteUrl) {
        return state.signer().issueTest(productUrl, type, siteUrl);
    }

    Verifier verifier() {
        return state.verifier();
    }

    /** {@code {"jwk":[...]}}: the published root keys, the current one first. */
    Map<String, Object> rootJwks() {
        return Map.of("jwk", state.signer().roots().published().stream().map(Jwks::entry).toList());
    }

    int retryAfterSeconds() {
        return state.retryAfterSeconds();
    }
}
