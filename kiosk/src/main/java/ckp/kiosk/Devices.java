package ckp.kiosk;

import ckp.drivers.camera.Cameras;
import ckp.drivers.camera.FrameSource;
import ckp.drivers.camera.RpicamCommand;
import ckp.drivers.lane.LaneDevices;
import ckp.drivers.lane.LaneOutputs;
import ckp.drivers.lane.PresenceSensor;
import ckp.drivers.thermometer.Thermometer;
import ckp.drivers.thermometer.Thermometers;
import ckp.drivers.time.Ticker;
import ckp.kiosk.config.ConfigException;
import ckp.kiosk.scan.CameraConfig;
import ckp.kiosk.scan.CameraSource;
import ckp.kiosk.screening.ScreeningConfig;
import ckp.kiosk.screening.ThermometerChoice;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Optional;

/**
 * The hardware a kiosk runs with, chosen by configuration, and the one time source its drivers and stages share: the
 * only place where the service picks between real drivers and simulators (through the drivers' factories), so
 * {@code run} and {@code simulate} share every other line.
 */
public record Devices(FrameSource camera, Thermometer thermometer, LaneDevices lane, Ticker ticker)
        implements AutoCloseable {

    /** Seed of the simulated thermometer's noise, fixed so a demo run is repeatable. */
    private static final long SIM_SEED = 5;

    /** The devices configuration names, on the machine's real monotonic clock. */
    public static Devices from(KioskConfig config, PrintStream console) throws ConfigException, IOException {
        return from(config, console, Ticker.system());
    }

    /** The devices configuration names, with {@code ticker} as the one time source of the drivers and the service. */
    public static Devices from(KioskConfig config, PrintStream console, Ticker ticker)
            throws ConfigException, IOException {
        FrameSource camera = camera(config.camera(), ticker);
        Thermometer thermometer = thermometer(config.screening(), ticker);
        LaneDevices lane = config.lane().pins().isPresent() ? LaneDevices.gpio(config.lane().pins().get())
                : LaneDevices.console(console);
        return new Devices(camera, thermometer, lane, ticker);
    }

    private static Thermometer thermometer(ScreeningConfig screening, Ticker ticker) {
        return switch (screening.thermometer()) {
            case ThermometerChoice.Simulated sim -> Thermometers.simulated(sim.readingsCelsius(), sim.faults(),
                    sim.ambientCelsius(), sim.noiseCelsius(), SIM_SEED, ticker);
            case ThermometerChoice.Mlx90614 mlx -> Thermometers.mlx90614(mlx.i2cBus(), mlx.i2cAddress(), ticker);
            case ThermometerChoice.None none -> Thermometers.absent();
        };
    }

    /** The camera camera.source names; a process camera is started on its first frame, not here. */
    public static FrameSource camera(CameraConfig camera, Ticker ticker) throws ConfigException {
        return switch (camera.source()) {
            case CameraSource.Files files -> {
                try {
                    yield Cameras.imageFolder(files.dir(), files.fps(), files.holdFrames(), files.loop(), ticker);
                } catch (IOException e) {
                    // Unreadable images are skipped by the source; what is left here is a folder it cannot play.
                    throw new ConfigException("camera.files.dir", e.getMessage());
                }
            }
            case CameraSource.Rpicam rpicam -> Cameras.rpicam(
                    rpicam.command(RpicamCommand.rowAlignOfThisMachine()), camera.restart());
            case CameraSource.Command command -> Cameras.command(command.argv(), command.layout(), camera.restart());
        };
    }

    /** The lane's lights, buzzer and barrier. */
    public LaneOutputs outputs() {
        return lane.outputs();
    }

    /** The vehicle presence sensor, when fitted. */
    public Optional<PresenceSensor> presence() {
        return lane.presence();
    }

    @Override
    public void close() {
        camera.close();
        thermometer.close();
        lane.close();
    }
}
