package org.openwebapps.storage;

/** A condition of the write does not hold; nothing was written. */
public final class PreconditionFailedException extends StorageException {

    private static final long serialVersionUID = 1L;

    public PreconditionFailedException(String message) {
        super(message);
    }
}
