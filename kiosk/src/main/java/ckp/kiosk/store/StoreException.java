package ckp.kiosk.store;

/** The event store cannot do its job (disk full, file unreadable, SQLite failure): the kiosk must not decide. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
