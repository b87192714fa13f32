package org.openwebapps.storage;

/** No live record under the key. */
public final class RecordNotFoundException extends StorageException {

    private static final long serialVersionUID = 1L;

    public RecordNotFoundException() {
        super("no record under the key");
    }
}
