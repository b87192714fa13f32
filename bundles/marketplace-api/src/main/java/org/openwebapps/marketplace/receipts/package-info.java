/**
 * The receipt issuer that the payments module asks when a purchase completes and an install needs
 * a current receipt.
 */
@Export
@Version("1.0.0")
package org.openwebapps.marketplace.receipts;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
