package ckp.kiosk.publish;

/** The broker could not be reached or refused us; the publisher backs off and tries again with a fresh client. */
public final class BrokerException extends Exception {
    private final int reasonCode;

    public BrokerException(String message, int reasonCode, Throwable cause) {
        super(message, cause);
        this.reasonCode = reasonCode;
    }

    /** The MQTT reason code when the broker gave one (e.g. 0x87 not authorized), else -1. */
    public int reasonCode() {
        return reasonCode;
    }
}
