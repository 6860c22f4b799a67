package ckp.kiosk.simulate;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;

/**
 * HiveMQ Community Edition embedded in the demo's JVM, for a machine without Mosquitto: a maintained MQTT 5 broker
 * (QoS 0-2, retained messages, wills, session expiry), in memory, on a free loopback port. Its config and log go to
 * the demo's folder, so its log lines do not interleave with the lane's.
 */
public final class HiveMqBroker implements LocalBroker {
    private final EmbeddedHiveMQ hivemq;
    private final int port;

    private HiveMqBroker(EmbeddedHiveMQ hivemq, int port) {
        this.hivemq = hivemq;
        this.port = port;
    }

    /** Starts HiveMQ CE with its config, data and extension folders under {@code dir}; returns once it listens. */
    public static HiveMqBroker start(Path dir) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>127.0.0.1</bind-address>
                        </tcp-listener>
                    </listeners>
                    <persistence>
                        <mode>in-memory</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port));
        Files.writeString(conf.resolve("logback.xml"), """
                <configuration scan="false">
                    <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                        <file>%s</file>
                        <encoder><pattern>%%d %%level %%logger - %%msg%%n%%ex</pattern></encoder>
                    </appender>
                    <root level="INFO"><appender-ref ref="FILE"/></root>
                    <logger name="oshi" level="ERROR"/>
                </configuration>
                """.formatted(dir.resolve("hivemq.log").toAbsolutePath()));
        // Logback reads this at its first use, before HiveMQ CE reads its config folder: no start-up lines on the console.
        System.setProperty("logback.configurationFile", conf.resolve("logback.xml").toString());
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(Files.createDirectories(dir.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(dir.resolve("extensions")))
                .build();
        try {
            hivemq.start().join();
        } catch (CompletionException e) {
            closeQuietly(hivemq);
            throw new IOException("HiveMQ CE did not start on 127.0.0.1:" + port + "; see " + dir.resolve("hivemq.log")
                    + ": " + e.getCause(), e.getCause());
        }
        return new HiveMqBroker(hivemq, port);
    }

    @Override
    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public String describe() {
        return "HiveMQ Community Edition, embedded, on " + uri() + " (MQTT 5, in memory; log: hivemq/hivemq.log)";
    }

    @Override
    public void close() {
        try {
            hivemq.stop().join();
        } catch (CompletionException e) {
            // The demo is ending; the JVM exits after this.
        }
        closeQuietly(hivemq);
    }

    private static void closeQuietly(EmbeddedHiveMQ hivemq) {
        try {
            hivemq.close();
        } catch (Exception e) {
            // Nothing more to release.
        }
    }
}
