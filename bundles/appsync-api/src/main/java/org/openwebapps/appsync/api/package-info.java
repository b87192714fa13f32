/**
 * AppSync's records as an in-process service: {@link org.openwebapps.appsync.api.AppSyncRecords}
 * writes application documents into a user's collection exactly as an AppSync POST does, so
 * every device and the Dashboard see them with the unchanged 2011 protocol.
 */
@Export
@Version("1.0.0")
package org.openwebapps.appsync.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
