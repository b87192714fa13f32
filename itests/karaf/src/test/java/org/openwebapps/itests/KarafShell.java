package org.openwebapps.itests;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;

/** Runs a Karaf shell command as an operator would type it. */
final class KarafShell {

    private KarafShell() {
    }

    /** @return what the command printed; fails the test when the command fails */
    static String run(SessionFactory shells, String command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            Session session = shells.create(new ByteArrayInputStream(new byte[0]), print, print);
            try {
                session.execute(command);
            } catch (Exception e) {
                throw new AssertionError(command + ": " + e, e);
            } finally {
                session.close();
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
