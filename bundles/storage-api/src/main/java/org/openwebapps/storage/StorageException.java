package org.openwebapps.storage;

/**
 * The base of every storage error. Vendor exceptions ({@code SQLException}, HBase's
 * {@code IOException}s) never cross the SPI: backends wrap them in a subclass.
 */
public abstract class StorageException extends Exception {

    private static final long serialVersionUID = 1L;

    protected StorageException(String message) {
        super(message);
    }

    protected StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
