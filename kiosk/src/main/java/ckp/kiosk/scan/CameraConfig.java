package ckp.kiosk.scan;

import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.ConfigKey;
import ckp.kiosk.config.Settings;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which camera feeds the lane, and how.
 *
 * @param source     {@code files}, {@code rpicam} or {@code command}
 * @param filesDir   the folder of images for {@code files}
 * @param filesFps   frames per second the folder is played at
 * @param filesHold  frames each image stays in view
 * @param filesLoop  whether the folder starts over when it ends; when not, the service finishes and exits 0
 */
public record CameraConfig(String source, Optional<Path> filesDir, double filesFps, int filesHold, boolean filesLoop) {
    public static final List<ConfigKey> KEYS = List.of(
            ConfigKey.required("camera.source", "files | rpicam | command"),
            ConfigKey.optional("camera.files.dir", "folder of PNG/JPEG images played as a camera (camera.source=files)"),
            ConfigKey.withDefault("camera.files.fps", "10", "frames per second the folder is played at (0.1-120)"),
            ConfigKey.withDefault("camera.files.hold", "5", "frames each image stays in view (1-1000)"),
            ConfigKey.withDefault("camera.files.loop", "true", "start the folder over when it ends; false: finish, drain the outbox and exit 0"));

    public CameraConfig {
        Objects.requireNonNull(source);
        Objects.requireNonNull(filesDir);
    }

    public static CameraConfig from(Settings s) throws ConfigException {
        String source = s.choice("camera.source", "files", "rpicam", "command");
        Optional<Path> dir = Optional.empty();
        if (source.equals("files")) {
            dir = Optional.of(s.folder("camera.files.dir"));
        }
        return new CameraConfig(source, dir, s.decimal("camera.files.fps", 0.1, 120), s.integer("camera.files.hold", 1, 1000),
                s.bool("camera.files.loop"));
    }
}
