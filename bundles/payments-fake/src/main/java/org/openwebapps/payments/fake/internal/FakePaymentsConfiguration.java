package org.openwebapps.payments.fake.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code org.openwebapps.payments.fake}. */
@ObjectClassDefinition(name = "Open Web Apps fake payment provider", description = "Development and tests only")
@interface FakePaymentsConfiguration {

    @AttributeDefinition(description = "The HS256 secret of the notifications (at least 32 bytes; empty: generated at start)")
    String _secret() default "";

    @AttributeDefinition(description = "Where notifications are delivered; empty: the store's site URL + /marketplace/api/v1/payments/notify/fake")
    String notify_url() default "";
}
