package ckp.kiosk.scan;

import static ckp.kiosk.config.ValueType.decimal;
import static ckp.kiosk.config.ValueType.integer;
import static ckp.kiosk.config.ValueType.millis;

import ckp.drivers.camera.RawFrameLayout.PixelFormat;
import ckp.drivers.camera.RestartPolicy;
import ckp.drivers.camera.RpicamCommand.Autofocus;
import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.ConfigKey;
import ckp.kiosk.config.Settings;
import ckp.kiosk.config.ValueType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Which camera feeds the lane ({@link CameraSource}: only the settings of the kind chosen) and when a dead or stalled
 * camera process is started again.
 */
public record CameraConfig(CameraSource source, RestartPolicy restart) {
    private static final int MIN_SIDE = 16;
    private static final int MAX_SIDE = 4096;

    static final ConfigKey<CameraSource.Kind> SOURCE = ConfigKey.required("camera.source",
            ValueType.oneOf(CameraSource.Kind.class), "where frames come from: a folder of images, rpicam-vid or a "
                    + "command printing raw frames");
    static final ConfigKey<Path> FILES_DIR = ConfigKey.optional("camera.files.dir", ValueType.folder(),
            "folder of PNG/JPEG images played as a camera (camera.source=files)");
    static final ConfigKey<Double> FILES_FPS = ConfigKey.withDefault("camera.files.fps", decimal(0.1, 120), "10",
            "frames per second the folder is played at");
    static final ConfigKey<Integer> FILES_HOLD = ConfigKey.withDefault("camera.files.hold", integer(1, 1000), "5",
            "frames each image stays in view");
    static final ConfigKey<Boolean> FILES_LOOP = ConfigKey.withDefault("camera.files.loop", ValueType.bool(), "true",
            "start the folder over when it ends; false: finish, drain the outbox and exit 0");
    static final ConfigKey<Integer> WIDTH = ConfigKey.withDefault("camera.width", integer(MIN_SIDE, MAX_SIDE), "640",
            "frame width in pixels for rpicam and command");
    static final ConfigKey<Integer> HEIGHT = ConfigKey.withDefault("camera.height", integer(MIN_SIDE, MAX_SIDE),
            "480", "frame height in pixels for rpicam and command");
    static final ConfigKey<Integer> STRIDE = ConfigKey.optional("camera.stride", integer(MIN_SIDE, 2 * MAX_SIDE),
            "bytes per luma row; rpicam: checked against the Pi's layout; command: default camera.width");
    static final ConfigKey<PixelFormat> FORMAT = ConfigKey.withDefault("camera.format",
            ValueType.oneOf(PixelFormat.class), "yuv420", "the raw frames camera.command prints");
    static final ConfigKey<Double> FPS = ConfigKey.withDefault("camera.fps", decimal(1, 120), "15",
            "frame rate asked of rpicam-vid");
    static final ConfigKey<Autofocus> AUTOFOCUS = ConfigKey.withDefault("camera.autofocus",
            ValueType.oneOf(Autofocus.class), "default", "rpicam-vid --autofocus-mode");
    static final ConfigKey<Double> LENS_DIOPTRES = ConfigKey.optional("camera.lens.dioptres", decimal(0, 32),
            "lens position for camera.autofocus=manual, 0 is infinity");
    static final ConfigKey<Integer> SHUTTER_MICROS = ConfigKey.optional("camera.shutter.us", integer(100, 1_000_000),
            "fixed exposure time in microseconds; unset: automatic");
    static final ConfigKey<Double> GAIN = ConfigKey.optional("camera.gain", decimal(1, 64),
            "fixed analogue gain; unset: automatic");
    static final ConfigKey<String> RPICAM_BINARY = ConfigKey.withDefault("camera.rpicam.binary", ValueType.text(),
            "rpicam-vid", "the rpicam-vid program: a name on PATH or a path");
    static final ConfigKey<String> RPICAM_ALIGN = ConfigKey.withDefault("camera.rpicam.align",
            ValueType.words("auto", "64", "128"), "auto",
            "luma row alignment in bytes (auto: 128 on a Pi 5, else 64)");
    static final ConfigKey<List<String>> COMMAND = ConfigKey.optional("camera.command", argv(),
            "argv of the command camera as a JSON array of strings, run without a shell");
    static final ConfigKey<Duration> RESTART_FIRST = ConfigKey.withDefault("camera.restart.first.ms",
            millis(10, 60_000), "500", "wait before restarting a camera process that died");
    static final ConfigKey<Duration> RESTART_MAX = ConfigKey.withDefault("camera.restart.max.ms",
            millis(100, 600_000), "30000", "longest wait between restarts; doubles up to it");
    static final ConfigKey<Duration> STALL = ConfigKey.withDefault("camera.stall.ms", millis(500, 600_000), "10000",
            "kill and restart a camera process that writes no whole frame for this long");

    public static final List<ConfigKey<?>> KEYS = List.of(SOURCE, FILES_DIR, FILES_FPS, FILES_HOLD, FILES_LOOP, WIDTH,
            HEIGHT, STRIDE, FORMAT, FPS, AUTOFOCUS, LENS_DIOPTRES, SHUTTER_MICROS, GAIN, RPICAM_BINARY, RPICAM_ALIGN,
            COMMAND, RESTART_FIRST, RESTART_MAX, STALL);

    public CameraConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(restart, "restart");
    }

    public static CameraConfig from(Settings s) throws ConfigException {
        CameraSource source = switch (s.get(SOURCE)) {
            case FILES -> new CameraSource.Files(s.find(FILES_DIR).orElseThrow(() -> new ConfigException(
                    FILES_DIR.name(), "missing; camera.source=files plays the images of this folder")),
                    s.get(FILES_FPS), s.get(FILES_HOLD), s.get(FILES_LOOP));
            case RPICAM -> rpicam(s);
            case COMMAND -> command(s);
        };
        return new CameraConfig(source, restartPolicy(s));
    }

    private static CameraSource.Rpicam rpicam(Settings s) throws ConfigException {
        if (s.get(FORMAT) != PixelFormat.YUV420) {
            throw new ConfigException(FORMAT.name(), "rpicam-vid streams yuv420; gray is for camera.source=command "
                    + "(remove camera.format)");
        }
        Autofocus autofocus = s.get(AUTOFOCUS);
        Optional<Double> lens = s.find(LENS_DIOPTRES);
        if (lens.isPresent() && autofocus != Autofocus.MANUAL) {
            throw new ConfigException(LENS_DIOPTRES.name(), "only applies with camera.autofocus=manual (it is "
                    + autofocus.name().toLowerCase(Locale.ROOT) + "); remove it or set camera.autofocus=manual");
        }
        String align = s.get(RPICAM_ALIGN);
        CameraSource.Rpicam rpicam = new CameraSource.Rpicam(s.get(WIDTH), s.get(HEIGHT), optionalInt(s.find(STRIDE)),
                s.get(FPS), autofocus, optionalDouble(lens), s.find(SHUTTER_MICROS).map(OptionalLong::of)
                .orElse(OptionalLong.empty()), optionalDouble(s.find(GAIN)), s.get(RPICAM_BINARY),
                align.equals("auto") ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(align)));
        if (rpicam.align().isPresent()) {
            rpicam.command(rpicam.align().getAsInt());
        } else {
            // The stride against the board's alignment is checked at start, when the board is known.
            CameraSource.Command.layout(PixelFormat.YUV420, rpicam.width(), rpicam.height(), OptionalInt.empty());
        }
        return rpicam;
    }

    private static CameraSource.Command command(Settings s) throws ConfigException {
        List<String> argv = s.find(COMMAND).orElseThrow(() -> new ConfigException(COMMAND.name(), "missing; "
                + "camera.source=command needs the argv, e.g. [\"ffmpeg\",\"-f\",\"v4l2\",\"-i\",\"/dev/video0\","
                + "\"-f\",\"rawvideo\",\"-pix_fmt\",\"yuv420p\",\"-\"]"));
        return new CameraSource.Command(argv, CameraSource.Command.layout(s.get(FORMAT), s.get(WIDTH), s.get(HEIGHT),
                optionalInt(s.find(STRIDE))));
    }

    private static RestartPolicy restartPolicy(Settings s) throws ConfigException {
        Duration first = s.get(RESTART_FIRST);
        Duration max = s.get(RESTART_MAX);
        if (max.compareTo(first) < 0) {
            throw new ConfigException(RESTART_MAX.name(), "is " + max.toMillis()
                    + ", shorter than camera.restart.first.ms " + first.toMillis());
        }
        return new RestartPolicy(first, max, s.get(STALL));
    }

    private static OptionalInt optionalInt(Optional<Integer> v) {
        return v.map(OptionalInt::of).orElse(OptionalInt.empty());
    }

    private static OptionalDouble optionalDouble(Optional<Double> v) {
        return v.map(OptionalDouble::of).orElse(OptionalDouble.empty());
    }

    /** A JSON array of strings: JSON, so an argument may hold spaces and no shell quoting rules apply. */
    private static ValueType<List<String>> argv() {
        String allowed = "a JSON array of strings, program first, e.g. [\"ffmpeg\",\"-i\",\"/dev/video0\",...]";
        return new ValueType<>(allowed, Optional.empty(), (json, dir) -> {
            JsonNode node;
            try {
                node = new ObjectMapper().readTree(json);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(allowed);
            }
            if (node == null || !node.isArray() || node.isEmpty()) {
                throw new IllegalArgumentException(allowed);
            }
            List<String> out = new ArrayList<>();
            for (JsonNode item : node) {
                if (!item.isTextual() || item.asText().isEmpty()) {
                    throw new IllegalArgumentException(allowed + " (every item a non-empty string)");
                }
                out.add(item.asText());
            }
            return List.copyOf(out);
        });
    }
}
