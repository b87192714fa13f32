/** The BrowserID test IdP: a real IdP on 127.0.0.1 for unit and container tests. */
@Export
@Version("1.0.0")
package org.openwebapps.itests.browserid;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
