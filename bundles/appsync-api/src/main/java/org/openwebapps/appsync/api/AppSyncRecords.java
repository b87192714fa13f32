package org.openwebapps.appsync.api;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Writes a user's AppSync collection from inside the server. The caller has authenticated the
 * user itself (the Marketplace through its own sign-in): this service trusts the user it is given,
 * so it is for in-process callers only and has no HTTP face.
 */
@ProviderType
public interface AppSyncRecords {

    /**
     * Stores application documents as {@code POST /collections/{user}/{collection}} would: upserted
     * by {@code origin}, all in one atomic write, the collection created (or recreated after a
     * delete) if needed. A document {@code {"origin", "deleted": true, "last_modified"}} is the
     * protocol's uninstall.
     *
     * @param user       the user's verified email
     * @param collection the collection name ({@code apps} for the 2011 clients)
     * @param documents  JSON objects (maps, lists, strings, numbers, booleans, null), each with a
     *                   string {@code origin}
     * @return the write's timestamp in milliseconds
     * @throws AppSyncException UNAVAILABLE when storage cannot take the write now, INVALID for a
     *                          document the protocol refuses
     */
    long write(String user, String collection, List<Map<String, Object>> documents) throws AppSyncException;
}
