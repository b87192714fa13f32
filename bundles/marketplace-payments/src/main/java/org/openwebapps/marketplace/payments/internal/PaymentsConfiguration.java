package org.openwebapps.marketplace.payments.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code org.openwebapps.marketplace.payments}. */
@ObjectClassDefinition(name = "Open Web Apps Marketplace payments", description = "Purchases of premium apps")
@interface PaymentsConfiguration {

    @AttributeDefinition(description = "Which payment providers may be used (an LDAP filter over their service properties)")
    String provider_target() default "(" + org.openwebapps.marketplace.payments.PaymentProvider.NAME + "=*)";

    @AttributeDefinition(description = "How long after completing a purchase its buyer may refund it (seconds; reviewers any time)")
    long refund_window_seconds() default 1800;

    @AttributeDefinition(description = "The Retry-After of a 503 (seconds)")
    int retry_after_seconds() default 30;
}
