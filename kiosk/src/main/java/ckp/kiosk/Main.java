package ckp.kiosk;

import ckp.kiosk.clock.ClockStatus;
import ckp.kiosk.config.ConfigException;
import ckp.kiosk.scan.DecodeFiles;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code kiosk} command line: {@code run}, {@code decode}, {@code version} (the demo is the simulator module's). */
@Command(name = "kiosk", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Checkpoint lane kiosk: scans passes, screens temperature, signals the lane, publishes events.",
        subcommands = {Main.Run.class, Main.Decode.class, Main.PrintVersion.class})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        int status = new CommandLine(new Main()).execute(args);
        System.exit(status);
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 2;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"checkpoint-kiosk " + KioskVersion.current()};
        }
    }

    /**
     * Runs a kiosk from a config file until it is stopped or its camera ends; bad config exits 78. Public for the
     * simulator's demo, which runs the same service on a config it writes.
     */
    public static int runService(Path configFile, PrintStream console, PrintStream err, boolean assumeClockSynced) {
        KioskConfig config;
        Devices devices;
        try {
            config = KioskConfig.load(configFile);
            devices = Devices.from(config, console);
        } catch (ConfigException e) {
            err.println("config error in " + configFile + ": " + e.getMessage());
            return ConfigException.EXIT_STATUS;
        } catch (java.io.IOException e) {
            err.println("cannot start: " + e.getMessage());
            return 1;
        }
        // The JVM halts once its shutdown hooks return, so the SIGTERM hook waits until run() has drained the
        // outbox and close() has put the lane out of service; otherwise a stop would cut both short.
        CountDownLatch closed = new CountDownLatch(1);
        try (Kiosk kiosk = new Kiosk(config, devices, ClockStatus.system(assumeClockSynced))) {
            Duration hookWait = config.lane().shutdownDrain().plus(config.lane().measureTimeout()).plusSeconds(30);
            Thread hook = new Thread(() -> {
                kiosk.stop();
                try {
                    closed.await(hookWait.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "sigterm");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                return kiosk.run();
            } finally {
                kiosk.close();
                closed.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // SIGTERM is being handled: run() returned because of it, and the hook is now released.
                }
            }
        } catch (ConfigException e) {
            err.println("config error in " + configFile + ": " + e.getMessage());
            return ConfigException.EXIT_STATUS;
        } catch (java.io.IOException | ckp.kiosk.store.StoreException e) {
            err.println("cannot start: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run the kiosk service.")
    static final class Run implements Callable<Integer> {
        @Option(names = "--config", required = true, description = "the kiosk's properties file")
        Path config;

        @Option(names = "--assume-clock-synced", description = "trust the clock even when the kernel "
                + "says no NTP client has synchronised it (machines with an RTC and no NTP)")
        boolean assumeClockSynced;

        @Override
        public Integer call() {
            return runService(config, System.out, System.err, assumeClockSynced);
        }
    }

    @Command(name = "decode", mixinStandardHelpOptions = true, description = "Decode QR codes in PNG/JPEG files or folders; one JSON line per image.")
    static final class Decode implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "PATH", description = "image files or folders")
        List<Path> paths;

        @Override
        public Integer call() throws Exception {
            int unreadable = DecodeFiles.run(paths, System.out, System.err);
            return unreadable == 0 ? 0 : 1;
        }
    }

    @Command(name = "version", description = "Print the version.")
    static final class PrintVersion implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println("checkpoint-kiosk " + KioskVersion.current());
            return 0;
        }
    }
}
