package ckp.kiosk.simulate;

import ckp.kiosk.KioskVersion;
import ckp.kiosk.Main;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The demo command ({@code kiosk/bin/demo}): the kiosk service, as {@code kiosk run} starts it, on sample frames with
 * a simulated thermometer, a local broker and an independent subscriber that prints what the broker delivers. Lives
 * in the simulator module so no kiosk in the field carries the demo or its broker.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Demo.Version.class,
        description = "The demo: a simulated lane on sample frames, with a local broker "
            + "and a subscriber that prints what the broker delivers.")
public final class Demo implements Callable<Integer> {
    @Option(names = "--frames", description = "folder of PNG/JPEG frames (default: the shipped demo frames)")
    Path frames;

    @Option(names = "--trust", description = "folder of issuer keys <kid>.pem (default: the demo key; "
            + "with --frames and no --trust, codes are recorded without verification)")
    Path trust;

    @Option(names = "--broker", description = "broker URI, or 'embedded' for HiveMQ CE in this JVM "
            + "(default: start Mosquitto when installed, else HiveMQ CE embedded)")
    String broker;

    @Option(names = "--readings", description = "forehead temperatures in °C, one per vehicle, cycled")
    String readings = Simulation.DEMO_READINGS;

    @Option(names = "--fps", description = "frames per second") double fps = 10;

    @Option(names = "--hold", description = "frames each image stays in view") int hold = 5;

    @Option(names = "--loop", description = "play the frames forever (stop with Ctrl-C)") boolean loop;

    @Option(names = "--dir", description = "working folder for the store and config (default: a new temp folder)")
    Path dir;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Demo()).execute(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"checkpoint-kiosk demo " + KioskVersion.current()};
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("kiosk-sim");
        Optional<Path> trustDir = Optional.ofNullable(trust);
        Optional<Path> deny = Optional.empty();
        Optional<Path> siteTrust = Optional.empty();
        Path frameDir = frames;
        if (frameDir == null) {
            frameDir = Simulation.unpackDemo(work);
            if (trustDir.isEmpty()) {
                trustDir = Optional.of(work.resolve("trust"));
            }
            deny = Optional.of(work.resolve("denylist.txt"));
            siteTrust = Optional.of(work.resolve("site-trust"));
        }
        LocalBroker local = null;
        String uri = broker;
        if (uri == null || uri.equals("embedded")) {
            local = Simulation.startBroker(work, out, uri != null);
            uri = local.uri();
            out.println("[demo] broker: " + local.describe());
        }
        try (BrokerWatcher watcher = BrokerWatcher.printing(uri, "ckp/v1/#", out)) {
            if (siteTrust.isPresent()) {
                Simulation.publishSignedDenyList(work, uri, "ckp/v1/demo-site/denylist");
                out.println("[demo] published the site deny list, signed with the demo site key (kid "
                        + Simulation.DEMO_SITE_KID + "), retained on ckp/v1/demo-site/denylist");
            }
            Path config = Simulation.writeConfig(work, uri, frameDir, trustDir, deny, siteTrust, readings, fps,
                    hold, loop);
            out.println("[demo] kiosk config: " + config + "; store: " + work.resolve("events.db"));
            int status = Main.runService(config, out, System.err, true);
            if (status == 0 && !watcher.awaitOffline(Duration.ofSeconds(30))) {
                out.println("[demo] the broker did not deliver the kiosk's offline status within 30 s");
            }
            out.println("[demo] done (exit " + status + ")");
            return status;
        } finally {
            if (local != null) {
                local.close();
            }
        }
    }
}
