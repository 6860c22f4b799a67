package ckp.kiosk;

import ckp.drivers.camera.FrameSource;
import ckp.drivers.camera.ImageFolderSource;
import ckp.drivers.camera.ProcessFrameSource;
import ckp.drivers.camera.RpicamCommand;
import ckp.drivers.lane.ConsoleLaneOutputs;
import ckp.drivers.lane.GpioLaneOutputs;
import ckp.drivers.lane.LaneOutputs;
import ckp.drivers.lane.PresenceSensor;
import ckp.drivers.thermometer.AbsentThermometer;
import ckp.drivers.thermometer.Mlx90614Thermometer;
import ckp.drivers.thermometer.SimulatedThermometer;
import ckp.drivers.thermometer.Thermometer;
import ckp.drivers.time.Ticker;
import ckp.kiosk.config.ConfigException;
import ckp.kiosk.scan.CameraConfig;
import ckp.kiosk.screening.ScreeningConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Optional;

/**
 * The hardware a kiosk runs with, chosen by configuration: the only place where the service picks between real
 * drivers and simulators, so {@code run} and {@code simulate} share every other line.
 */
public record Devices(FrameSource camera, Thermometer thermometer, LaneOutputs outputs,
                      Optional<PresenceSensor> presence, Ticker ticker) implements AutoCloseable {

    /** Seed of the simulated thermometer's noise, fixed so a demo run is repeatable. */
    private static final long SIM_SEED = 5;

    /** The devices configuration names, on the machine's real monotonic clock. */
    public static Devices from(KioskConfig config, PrintStream console) throws ConfigException, IOException {
        return from(config, console, Ticker.system());
    }

    /** The devices configuration names, with {@code ticker} as the one time source of the drivers and the service. */
    public static Devices from(KioskConfig config, PrintStream console, Ticker ticker)
            throws ConfigException, IOException {
        FrameSource camera = camera(config.camera());
        ScreeningConfig sc = config.screening();
        Thermometer thermometer = switch (sc.thermometerType()) {
            case "sim" -> new SimulatedThermometer(sc.simReadings(), sc.simFaults(), sc.simAmbientCelsius(),
                    sc.simNoiseCelsius(), SIM_SEED, ticker);
            case "mlx90614" -> Mlx90614Thermometer.open(sc.i2cBus(), sc.i2cAddress());
            case "none" -> new AbsentThermometer();
            default -> throw new ConfigException("thermometer.type", "'" + sc.thermometerType()
                    + "' is not available in this build; use sim, mlx90614 or none");
        };
        if (config.lane().pins().isPresent()) {
            GpioLaneOutputs gpio = GpioLaneOutputs.open(config.lane().pins().get());
            return new Devices(camera, thermometer, gpio, gpio.presence(), ticker);
        }
        return new Devices(camera, thermometer, new ConsoleLaneOutputs(console), Optional.empty(), ticker);
    }

    /** The camera camera.source names; a process camera is started on its first frame, not here. */
    public static FrameSource camera(CameraConfig camera) throws ConfigException, IOException {
        return switch (camera.source()) {
            case "files" -> {
                try {
                    yield new ImageFolderSource(camera.filesDir().orElseThrow(), camera.filesFps(),
                            camera.filesHold(), camera.filesLoop());
                } catch (IOException e) {
                    // Unreadable images are skipped by the source; what is left here is a folder it cannot play.
                    throw new ConfigException("camera.files.dir", e.getMessage());
                }
            }
            case "rpicam" -> ProcessFrameSource.rpicam(camera.rpicam(RpicamCommand.rowAlignOfThisMachine()),
                    camera.restart());
            case "command" -> ProcessFrameSource.command(camera.command(), camera.commandLayout(), camera.restart());
            default -> throw new ConfigException("camera.source", "'" + camera.source()
                    + "' is not available in this build; use files, rpicam or command");
        };
    }

    @Override
    public void close() {
        camera.close();
        thermometer.close();
        outputs.close();
        presence.ifPresent(PresenceSensor::close);
    }
}
