package org.openwebapps.storage;

/** The backend cannot serve now (server down, unreachable, timed out); the caller may retry. */
public final class StorageUnavailableException extends StorageException {

    private static final long serialVersionUID = 1L;

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
