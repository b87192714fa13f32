package org.openwebapps.storage.router.internal;

/**
 * One backend as the router sees it.
 *
 * @param name           its {@code storage.name}
 * @param role           {@code primary}, {@code mirror} or {@code none}
 * @param state          {@code up}, {@code down} (failing; probed until healthy) or {@code absent} (no such service)
 * @param reason         why it went down (and what the last health probe said), or {@code null}
 * @param downSince      epoch milliseconds it went down, or 0
 * @param pendingOwners  owners whose writes it lacks and the replay will copy (its lag)
 * @param replayedRecords records copied into it by replays since the router started
 */
public record BackendStatus(String name, String role, String state, String reason, long downSince, int pendingOwners,
        long replayedRecords) {
}
