package ckp.kiosk.simulate;

import java.io.IOException;

/** Placeholder: the embedded MQTT v5 broker for machines without Mosquitto (being written). */
public final class EmbeddedBroker implements LocalBroker {
    private EmbeddedBroker() {
    }

    public static EmbeddedBroker start() throws IOException {
        throw new IOException("the embedded broker is not available yet; install mosquitto");
    }

    @Override
    public String uri() {
        return "";
    }

    @Override
    public String describe() {
        return "embedded";
    }

    @Override
    public void close() {
    }
}
