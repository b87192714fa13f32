package org.openwebapps.browserid;

/** A certificate, assertion, key or document that does not verify; the message is the reason. */
public class BrowserIdException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param reason why, readable in a log and safe to send to the relying party */
    public BrowserIdException(String reason) {
        super(reason, null, false, false);
    }
}
