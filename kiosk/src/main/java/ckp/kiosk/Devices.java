package ckp.kiosk;

import ckp.drivers.camera.FrameSource;
import ckp.drivers.camera.ImageFolderSource;
import ckp.drivers.camera.ProcessFrameSource;
import ckp.drivers.camera.RpicamCommand;
import ckp.drivers.lane.ConsoleLaneOutputs;
import ckp.drivers.lane.LaneOutputs;
import ckp.drivers.thermometer.ScriptedThermometer;
import ckp.drivers.thermometer.Thermometer;
import ckp.kiosk.config.ConfigException;
import ckp.kiosk.scan.CameraConfig;
import java.io.IOException;
import java.io.PrintStream;

/**
 * The hardware a kiosk runs with, chosen by configuration: the only place where the service picks between real
 * drivers and simulators, so {@code run} and {@code simulate} share every other line.
 */
public record Devices(FrameSource camera, Thermometer thermometer, LaneOutputs outputs) implements AutoCloseable {

    /** Typical indoor ambient for the simulated thermometer; inside the screening envelope. */
    private static final double SIM_AMBIENT_CELSIUS = 24.0;

    public static Devices from(KioskConfig config, PrintStream console) throws ConfigException, IOException {
        FrameSource camera = camera(config.camera());
        Thermometer thermometer = switch (config.screening().thermometerType()) {
            case "sim" -> new ScriptedThermometer(config.screening().simReadings(), SIM_AMBIENT_CELSIUS);
            default -> throw new ConfigException("thermometer.type", "'" + config.screening().thermometerType()
                    + "' is not available in this build; use sim");
        };
        return new Devices(camera, thermometer, new ConsoleLaneOutputs(console));
    }

    /** The camera camera.source names; a process camera is started on its first frame, not here. */
    public static FrameSource camera(CameraConfig camera) throws ConfigException, IOException {
        return switch (camera.source()) {
            case "files" -> new ImageFolderSource(camera.filesDir().orElseThrow(), camera.filesFps(),
                    camera.filesHold(), camera.filesLoop());
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
    }
}
