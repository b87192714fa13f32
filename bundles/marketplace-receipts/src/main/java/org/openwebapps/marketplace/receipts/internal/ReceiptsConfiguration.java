package org.openwebapps.marketplace.receipts.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code org.openwebapps.marketplace.receipts}. */
@ObjectClassDefinition(name = "Open Web Apps Marketplace receipts", description = "Signed purchase receipts and their verifier")
@interface ReceiptsConfiguration {

    @AttributeDefinition(required = false, description = "The root key: an RSA private key of at least 2048 bits, PKCS#8 PEM,"
            + " the same file on every node. Empty: generated on first start in <karaf.data>/marketplace/receipts/root-key.pem (mode 600)")
    String root_key_file() default "";

    @AttributeDefinition(required = false, description = "Earlier root keys (PEM: public keys or PKCS#8 private keys), still"
            + " published so that receipts certified by them verify; comma-separated paths")
    String[] root_key_previous_files() default {};

    @AttributeDefinition(description = "How long a purchase receipt is valid (seconds)")
    long receipt_expiry_seconds() default 15_724_800;

    @AttributeDefinition(description = "How long a node signs with one signing key before it makes a new one (seconds)")
    long signing_key_rotate_seconds() default 86_400;

    @AttributeDefinition(description = "How long a test receipt is valid (seconds)")
    long test_receipt_expiry_seconds() default 3600;

    @AttributeDefinition(description = "Whether the verifier answers an expired receipt with a fresh one")
    boolean expired_send_receipt() default true;

    @AttributeDefinition(description = "The Retry-After of a 503 (seconds)")
    int retry_after_seconds() default 30;
}
