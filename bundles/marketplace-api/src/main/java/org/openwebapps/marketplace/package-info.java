/**
 * What the Marketplace's modules offer one another: the {@link org.openwebapps.marketplace.Catalog}
 * (apps as submitted and reviewed, and their prices), the store's sign-in ({@link
 * org.openwebapps.marketplace.Accounts}), and the {@link org.openwebapps.marketplace.PurchaseCheck}
 * SPI that the install path and the receipt verifier ask.
 */
@Export
@Version("2.0.0")
package org.openwebapps.marketplace;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
