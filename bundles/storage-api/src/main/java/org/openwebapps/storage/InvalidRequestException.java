package org.openwebapps.storage;

/** The request breaks the {@link StorageLimits}; nothing was written. The message is safe to show. */
public final class InvalidRequestException extends StorageException {

    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super(message);
    }
}
