/**
 * The outbound fetcher: the one way the server fetches a URL that a client named (BrowserID
 * support documents, app manifests).
 *
 * <p>A fetch has one deadline over connect, headers and body, a cap on the body's size, follows no
 * redirect unless asked, speaks HTTPS except to configured development hosts, and connects only to
 * public addresses (the address checked is the address connected to). Concurrent fetches of one URL
 * share one request, and past a cap on fetches in flight callers are refused at once with
 * {@link org.openwebapps.fetch.FetchException.Kind#BUSY}.
 *
 * <p>Callers import this package with the consumer range {@code [1.0,2.0)}.
 */
@Export
@Version("1.0.0")
package org.openwebapps.fetch;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
