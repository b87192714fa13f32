package org.openwebapps.marketplace.receipts.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** The receipts' Karaf shell command, in scope {@code marketplace}. */
@Service
@Command(scope = "marketplace", name = "rotate-signing-key",
        description = "Replaces this node's receipt signing key now (receipts it signed stay valid)")
public final class ReceiptCommands implements Action {

    @Reference
    Receipts receipts;

    @Override
    public Object execute() {
        String[] keys = receipts.rotate("shell command");
        System.out.println("Receipt signing key " + keys[0] + " retired; " + keys[1] + " signs new receipts");
        return null;
    }
}
