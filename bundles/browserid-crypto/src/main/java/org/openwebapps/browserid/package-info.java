/**
 * BrowserID's crypto: the key-size-labelled algorithms ({@code RS256}, {@code DS128}, ...), public
 * keys in their JSON forms (legacy decimal/hex and {@code kty} base64url), and JWS
 * ({@code header.payload.signature}, unpadded base64url) to verify and to sign certificates and
 * assertions. Times are left to the caller: BrowserID counts milliseconds.
 */
@Export
@Version("1.0.0")
package org.openwebapps.browserid;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
