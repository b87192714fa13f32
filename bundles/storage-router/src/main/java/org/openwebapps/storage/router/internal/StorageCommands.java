package org.openwebapps.storage.router.internal;

import java.io.PrintStream;
import java.time.Instant;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** The router's Karaf shell commands, in scope {@code storage}. */
public final class StorageCommands {

    private StorageCommands() {
    }

    static void printStatus(RouterAdmin admin, PrintStream out) {
        out.printf("%-12s %-8s %-7s %15s %15s  %s%n", "BACKEND", "ROLE", "STATE", "PENDING OWNERS", "REPLAYED RECS", "DOWN SINCE / REASON");
        for (BackendStatus backend : admin.status()) {
            String down = backend.downSince() == 0 ? "" : Instant.ofEpochMilli(backend.downSince()) + " " + backend.reason();
            out.printf("%-12s %-8s %-7s %15d %15d  %s%n", backend.name(), backend.role(), backend.state(),
                    backend.pendingOwners(), backend.replayedRecords(), down);
        }
    }

    @Service
    @Command(scope = "storage", name = "status",
            description = "Each storage backend's role and state, the owners whose writes it lacks (its lag) and what replays copied")
    public static final class Status implements Action {

        @Reference
        RouterAdmin admin;

        @Override
        public Object execute() {
            printStatus(admin, System.out);
            return null;
        }
    }

    @Service
    @Command(scope = "storage", name = "roles", description = "Makes one backend the primary and another (or none) the mirror; persisted in etc/")
    public static final class Roles implements Action {

        @Reference
        RouterAdmin admin;

        @Argument(index = 0, name = "primary", required = true, description = "storage.name of the new primary")
        String primary;

        @Argument(index = 1, name = "mirror", required = false, description = "storage.name of the new mirror, or none")
        String mirror;

        @Override
        public Object execute() throws Exception {
            admin.setRoles(primary, mirror);
            System.out.println("Roles set: primary " + primary + ", mirror " + (mirror == null ? "none" : mirror));
            return null;
        }
    }

    @Service
    @Command(scope = "storage", name = "check", description = "Compares primary and mirror record by record; --repair copies the newer version across")
    public static final class Check implements Action {

        @Reference
        RouterAdmin admin;

        @Option(name = "--repair", description = "Copy the newer version of each differing record to the other side")
        boolean repair;

        @Override
        public Object execute() throws Exception {
            ConsistencyCheck.Report report = admin.check(repair);
            System.out.printf("%s vs %s: %d owners, %d records, %d differences, %d owners pending replay%s%n",
                    report.primary(), report.mirror(), report.owners(), report.records(), report.differences(),
                    report.pendingOwners(), repair ? ", " + report.repaired() + " repaired, " + report.unrepairable() + " unrepairable" : "");
            for (ConsistencyCheck.Difference difference : report.listed()) {
                System.out.printf("  %s %s %s: primary %s, mirror %s%n", difference.bucket(), difference.user(),
                        difference.key(), difference.primary(), difference.mirror());
            }
            System.out.println(report.identical() ? "identical" : "DIFFERENT");
            return null;
        }
    }

    @Service
    @Command(scope = "storage", name = "replay", description = "Probes failed backends and replays what they missed now")
    public static final class Replay implements Action {

        @Reference
        RouterAdmin admin;

        @Override
        public Object execute() {
            admin.replayNow();
            printStatus(admin, System.out);
            return null;
        }
    }
}
