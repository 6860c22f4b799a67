package ckp.kiosk.simulate;

/** A broker the demo brings up on this machine when none is given: Mosquitto when installed, else HiveMQ CE embedded. */
public interface LocalBroker extends AutoCloseable {

    /** Where clients connect, e.g. {@code tcp://127.0.0.1:41234}. */
    String uri();

    /** What it is, for the demo's first lines. */
    String describe();

    @Override
    void close();
}
