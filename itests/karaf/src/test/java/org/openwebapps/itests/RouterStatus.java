package org.openwebapps.itests;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads the storage router's status as {@code /admin/storage} answers it. */
final class RouterStatus {

    private RouterStatus() {
    }

    /** @return how many backends with a role (primary, mirror) are in {@code state} */
    static int count(JsonNode status, String state) {
        int count = 0;
        for (JsonNode backend : status.path("backends")) {
            if (!backend.path("role").asText().equals("none") && backend.path("state").asText().equals(state)) {
                count++;
            }
        }
        return count;
    }

    /** @return the owners pending replay, all backends together (0 for no status) */
    static int pending(JsonNode status) {
        int pending = 0;
        if (status != null) {
            for (JsonNode backend : status.path("backends")) {
                pending += backend.path("pendingOwners").asInt();
            }
        }
        return pending;
    }

    /** @return whether every backend with a role is up and nothing is left to replay */
    static boolean caughtUp(JsonNode status, int roles) {
        return count(status, "up") == roles && pending(status) == 0;
    }
}
