/**
 * The payment-provider SPI: a provider is any bundle registering a {@link
 * org.openwebapps.marketplace.payments.PaymentProvider} with the service property
 * {@value org.openwebapps.marketplace.payments.PaymentProvider#NAME}{@code =<name>}. The payments
 * module owns purchases and their state; a provider only starts payments, proves notifications and
 * asks for refunds.
 */
@Export
@Version("1.0.0")
package org.openwebapps.marketplace.payments;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
