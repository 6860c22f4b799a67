package ckp.provisioning.selftest;

import ckp.drivers.camera.Frame;
import ckp.drivers.camera.FrameSource;
import ckp.drivers.lane.LaneOutputs;
import ckp.drivers.thermometer.Thermometer;
import ckp.drivers.thermometer.ThermometerSample;
import ckp.kiosk.Devices;
import ckp.kiosk.scan.CameraSource;
import ckp.kiosk.screening.ThermometerChoice;
import ckp.kiosk.KioskConfig;
import ckp.kiosk.config.ConfigException;
import ckp.kiosk.publish.BrokerException;
import ckp.kiosk.publish.BrokerLink;
import ckp.kiosk.publish.InboundMessage;
import ckp.kiosk.publish.OutgoingMessage;
import ckp.kiosk.publish.PahoBrokerLink;
import ckp.kiosk.publish.TlsContexts;
import ckp.kiosk.message.Topics;
import ckp.provisioning.status.ServiceState;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocketFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code kioskctl selftest}: checks everything a kiosk needs, in the order a technician would fix it, and prints a
 * pass/fail table. Hardware that is not present here is reported as SKIP with the reason, never as a pass.
 */
@Command(name = "selftest", mixinStandardHelpOptions = true,
        description = "Check config, I2C thermometer, camera, GPIO, store and broker; exit 1 on any failure.")
public final class SelftestCommand implements Callable<Integer> {
    /** The MLX90614's factory SMBus address. */
    private static final int MLX90614_ADDRESS = 0x5a;
    private static final int FRAMES_TO_CHECK = 3;
    /** What the sensor's die may plausibly read at a roadside, in °C: outside it, the sensor or its mounting is off. */
    private static final double AMBIENT_MIN_CELSIUS = -30;
    private static final double AMBIENT_MAX_CELSIUS = 70;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", description = "default: ${DEFAULT-VALUE}")
    Path config = Path.of("/etc/checkpoint-kiosk/kiosk.properties");

    @Option(names = "--i2c-bus", description = "I2C bus number of the thermometer (default: ${DEFAULT-VALUE})")
    int i2cBus = 1;

    @Option(names = "--dev", hidden = true, description = "device folder (tests)")
    Path dev = Path.of("/dev");

    @Option(names = "--timeout-seconds", description = "per broker step (default: ${DEFAULT-VALUE})")
    int timeoutSeconds = 15;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<CheckResult> rows = run();
        print(rows, out);
        return rows.stream().anyMatch(r -> r.outcome() == CheckResult.Outcome.FAIL) ? 1 : 0;
    }

    List<CheckResult> run() {
        List<CheckResult> rows = new ArrayList<>();
        KioskConfig kc;
        try {
            kc = KioskConfig.load(config);
            rows.add(CheckResult.pass("config", config.toString()));
        } catch (ConfigException e) {
            rows.add(CheckResult.fail("config", e.getMessage() + " -> fix " + config + " or run kioskctl provision"));
            return rows;
        }
        boolean serviceHasHardware = ServiceState.of("checkpoint-kiosk").equals("active");
        rows.add(i2cScan());
        if (serviceHasHardware) {
            String why = "in use by the running service (systemctl stop checkpoint-kiosk, then run selftest again)";
            rows.add(CheckResult.skip("thermometer", why));
            rows.add(CheckResult.skip("camera", why));
            rows.add(CheckResult.skip("gpio outputs", why));
        } else {
            rows.addAll(devices(kc));
        }
        rows.add(store(kc));
        rows.addAll(broker(kc));
        return rows;
    }

    /** Scans the bus with i2cdetect (i2c-tools) when there is a bus; the thermometer must answer at 0x5a. */
    private CheckResult i2cScan() {
        Path bus = dev.resolve("i2c-" + i2cBus);
        if (!Files.exists(bus)) {
            return CheckResult.skip("i2c bus", bus + " not present (enable I2C: dtparam=i2c_arm=on in config.txt)");
        }
        try {
            Process p = new ProcessBuilder("i2cdetect", "-y", "-r", Integer.toString(i2cBus)).redirectErrorStream(true)
                    .start();
            String scan = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return CheckResult.fail("i2c bus", "i2cdetect failed: " + scan.strip());
            }
            List<String> found = addresses(scan);
            String address = String.format("0x%02x", MLX90614_ADDRESS);
            return found.contains(address) ? CheckResult.pass("i2c bus", "devices at " + found)
                    : CheckResult.fail("i2c bus", "nothing at " + address + " (found " + found
                    + "): check the MLX90614 wiring (SDA pin 3, SCL pin 5, 3.3 V pin 1, GND pin 6)");
        } catch (IOException e) {
            return CheckResult.skip("i2c bus", "i2cdetect not installed (apt-get install i2c-tools) for a bus scan");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.fail("i2c bus", "interrupted");
        }
    }

    /** Addresses that answered in i2cdetect's table: each row is "50:" then 16 cells of 3 characters. */
    static List<String> addresses(String scan) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^([0-7]0):(.*)$").matcher(scan);
        while (m.find()) {
            int row = Integer.parseInt(m.group(1), 16);
            String cells = m.group(2);
            for (int c = 0; c < 16 && 3 * c + 3 <= cells.length(); c++) {
                String cell = cells.substring(3 * c + 1, 3 * c + 3);
                if (cell.matches("[0-9a-f]{2}|UU")) {
                    found.add(String.format("0x%02x", row + c));
                }
            }
        }
        return found;
    }

    /** The thermometer, camera and lane outputs the config selects, through the same drivers the service uses. */
    private List<CheckResult> devices(KioskConfig kc) {
        List<CheckResult> rows = new ArrayList<>();
        Devices devices;
        try {
            devices = Devices.from(kc, new PrintStream(PrintStream.nullOutputStream()));
        } catch (ConfigException | IOException | RuntimeException e) {
            String why = "cannot open the devices: " + e.getMessage();
            rows.add(CheckResult.fail("thermometer", why));
            rows.add(CheckResult.fail("camera", why));
            rows.add(CheckResult.fail("gpio outputs", why));
            return rows;
        }
        try (devices) {
            rows.add(thermometer(kc, devices.thermometer()));
            rows.add(camera(kc, devices.camera()));
            rows.add(outputs(devices.outputs()));
        }
        return rows;
    }

    private CheckResult thermometer(KioskConfig kc, Thermometer t) {
        if (kc.screening().thermometer() instanceof ThermometerChoice.Simulated) {
            return CheckResult.skip("thermometer", "simulated (thermometer.type=sim): no sensor to test");
        }
        t.beginWindow();
        ThermometerSample s = t.sample();
        if (!s.ok()) {
            return CheckResult.fail("thermometer", t.describe() + ": " + s.status() + " " + s.detail()
                    + " (PEC errors: loose wire or bus too fast, keep i2c_arm_baudrate at 100000 or less)");
        }
        if (s.ambientCelsius() < AMBIENT_MIN_CELSIUS || s.ambientCelsius() > AMBIENT_MAX_CELSIUS) {
            return CheckResult.fail("thermometer", t.describe() + ": implausible ambient " + s.ambientCelsius() + " °C");
        }
        return CheckResult.pass("thermometer", t.describe() + ": ambient " + s.ambientCelsius() + " °C, PEC ok");
    }

    private CheckResult camera(KioskConfig kc, FrameSource camera) {
        String simulated = kc.camera().source() instanceof CameraSource.Files ? " (simulated camera: camera.source=files)" : "";
        ExecutorService reader = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().unstarted(r));
        try {
            Frame first = null;
            for (int i = 0; i < FRAMES_TO_CHECK; i++) {
                Future<Optional<Frame>> next = reader.submit(camera::next);
                Optional<Frame> f = next.get(10, TimeUnit.SECONDS);
                if (f.isEmpty()) {
                    return CheckResult.fail("camera", camera.describe() + " ended after " + i + " frame(s)");
                }
                Frame frame = f.get();
                if (frame.stride() < frame.width() || frame.luma().length < (long) frame.stride() * frame.height()) {
                    return CheckResult.fail("camera", "frame " + frame.width() + "x" + frame.height() + " stride "
                            + frame.stride() + " with " + frame.luma().length + " bytes: driver and config disagree");
                }
                if (first != null && (frame.width() != first.width() || frame.height() != first.height())) {
                    return CheckResult.fail("camera", "frame size changes between frames");
                }
                first = frame;
            }
            return CheckResult.pass("camera", camera.describe() + ": " + FRAMES_TO_CHECK + " frames " + first.width()
                    + "x" + first.height() + " stride " + first.stride() + simulated);
        } catch (TimeoutException e) {
            return CheckResult.fail("camera", camera.describe() + ": no frame within 10 s (cable, camera_auto_detect=1?)");
        } catch (ExecutionException e) {
            return CheckResult.fail("camera", camera.describe() + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.fail("camera", "interrupted");
        } finally {
            reader.shutdownNow();
        }
    }

    private CheckResult outputs(LaneOutputs outputs) {
        boolean gpio = Files.exists(dev.resolve("gpiochip0"));
        try {
            for (LaneOutputs.Light light : LaneOutputs.Light.values()) {
                outputs.light(light);
                Thread.sleep(300);
            }
            outputs.beep(Duration.ofMillis(200));
            outputs.light(LaneOutputs.Light.OFF);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.fail("gpio outputs", "interrupted");
        } catch (RuntimeException e) {
            return CheckResult.fail("gpio outputs", e.getMessage());
        }
        if (outputs.getClass().getSimpleName().startsWith("Console") || !gpio) {
            return CheckResult.skip("gpio outputs", gpio ? "console outputs configured, no GPIO driven"
                    : dev.resolve("gpiochip0") + " not present");
        }
        return CheckResult.pass("gpio outputs", "lights cycled green, amber, red, out of service; buzzer beeped: "
                + "watch the lane to confirm");
    }

    /** The store file takes a write lock (and releases it untouched): the disk is writable and nothing holds it. */
    private CheckResult store(KioskConfig kc) {
        Path db = kc.store().path();
        try {
            if (!Files.exists(db)) {
                Path dir = db.toAbsolutePath().getParent();
                Path probe = Files.createTempFile(dir, ".selftest", ".tmp");
                Files.delete(probe);
                return CheckResult.pass("store", db + " not created yet; " + dir + " is writable");
            }
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                 Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("BEGIN IMMEDIATE");
                s.execute("ROLLBACK");
            }
            return CheckResult.pass("store", db + " writable");
        } catch (IOException | SQLException e) {
            return CheckResult.fail("store", db + ": " + e.getMessage() + " (disk full, read-only, or wrong owner?)");
        }
    }

    /** Connects like the service (TLS, its certificate) and publishes one QoS 1 test message; PUBACK must succeed. */
    private List<CheckResult> broker(KioskConfig kc) {
        List<CheckResult> rows = new ArrayList<>();
        Optional<SSLSocketFactory> tls;
        try {
            tls = TlsContexts.forMqtt(kc.mqtt());
        } catch (ConfigException e) {
            rows.add(CheckResult.fail("broker", e.getMessage()));
            rows.add(CheckResult.skip("test event", "no broker connection"));
            return rows;
        }
        Topics topics = new Topics(kc.mqtt().topicPrefix(), kc.kiosk().site(), kc.kiosk().lane(), kc.kiosk().id());
        // Its own client id, so the running service's session is not taken over.
        try (PahoBrokerLink link = new PahoBrokerLink(kc.kiosk().id() + "-selftest", kc.mqtt().username(),
                kc.mqtt().passwordFile(), tls, 30)) {
            URI connected = null;
            List<String> failures = new ArrayList<>();
            for (URI uri : kc.mqtt().uris()) {
                try {
                    link.connect(uri, topics.base() + "/selftest", new byte[0], new BrokerLink.Listener() {
                        @Override
                        public void connectionLost(String why) {
                            // A lost connection shows as a missing PUBACK below.
                        }

                        @Override
                        public void messageArrived(InboundMessage message) {
                            // The self-test subscribes to nothing.
                        }
                    });
                    connected = uri;
                    break;
                } catch (BrokerException e) {
                    failures.add(e.getMessage());
                }
            }
            if (connected == null) {
                rows.add(CheckResult.fail("broker", String.join("; ", failures) + " (check network and port, the "
                        + "clock (TLS needs it), the CA file and that the certificate is signed by the fleet CA)"));
                rows.add(CheckResult.skip("test event", "no broker connection"));
                return rows;
            }
            rows.add(CheckResult.pass("broker", connected + (tls.isPresent() ? " over TLS" : " WITHOUT TLS")));
            CompletableFuture<Integer> ack = new CompletableFuture<>();
            String payload = "{\"selftest\":true,\"time\":\"" + Instant.now() + "\"}";
            link.publish(OutgoingMessage.qos1(topics.base() + "/selftest", payload.getBytes(StandardCharsets.UTF_8), false),
                    ack::complete);
            int code = ack.get(timeoutSeconds, TimeUnit.SECONDS);
            if (code >= 0 && code < 0x80) {
                rows.add(CheckResult.pass("test event", "published to " + topics.base() + "/selftest, acknowledged"));
            } else if (code == 0x87) {
                rows.add(CheckResult.fail("test event", "broker refused it (0x87 not authorized): the broker's ACL "
                        + "does not let CN=" + kc.kiosk().id() + " write " + topics.base() + "/#; ask the fleet operator"));
            } else {
                rows.add(CheckResult.fail("test event", "no success acknowledgement (code " + code + ")"));
            }
        } catch (BrokerException e) {
            rows.add(CheckResult.fail("test event", e.getMessage()));
        } catch (TimeoutException e) {
            rows.add(CheckResult.fail("test event", "no PUBACK within " + timeoutSeconds + " s"));
        } catch (ExecutionException e) {
            rows.add(CheckResult.fail("test event", e.getCause().getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            rows.add(CheckResult.fail("test event", "interrupted"));
        }
        return rows;
    }

    static void print(List<CheckResult> rows, PrintWriter out) {
        out.printf("%-14s %-5s %s%n", "CHECK", "RESULT", "DETAIL");
        for (CheckResult r : rows) {
            out.printf("%-14s %-6s %s%n", r.check(), r.outcome(), r.detail());
        }
        long failed = rows.stream().filter(r -> r.outcome() == CheckResult.Outcome.FAIL).count();
        long skipped = rows.stream().filter(r -> r.outcome() == CheckResult.Outcome.SKIP).count();
        out.printf("selftest %s: %d passed, %d failed, %d skipped%n", failed == 0 ? "PASSED" : "FAILED",
                rows.size() - failed - skipped, failed, skipped);
        out.flush();
    }
}
