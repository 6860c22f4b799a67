package ckp.kiosk.scan;

import ckp.drivers.camera.RawFrameLayout;
import ckp.drivers.camera.RawFrameLayout.PixelFormat;
import ckp.drivers.camera.RestartPolicy;
import ckp.drivers.camera.RpicamCommand;
import ckp.drivers.camera.RpicamCommand.Autofocus;
import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.ConfigKey;
import ckp.kiosk.config.Settings;
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
 * Which camera feeds the lane, and how.
 *
 * @param source       {@code files}, {@code rpicam} or {@code command}
 * @param filesDir     the folder of images for {@code files}
 * @param filesFps     frames per second the folder is played at
 * @param filesHold    frames each image stays in view
 * @param filesLoop    whether the folder starts over when it ends; when not, the service finishes and exits 0
 * @param width        frame width in pixels ({@code rpicam}, {@code command})
 * @param height       frame height in pixels
 * @param stride       bytes per luma row when set; {@code rpicam} checks it against the Pi's layout rule
 * @param format       what {@code command} prints; {@code rpicam} always streams yuv420
 * @param fps          frame rate asked of rpicam-vid
 * @param autofocus    rpicam-vid's autofocus mode
 * @param lensDioptres lens position for manual focus
 * @param shutterMicros fixed exposure time; empty: automatic
 * @param gain         fixed analogue gain; empty: automatic
 * @param rpicamBinary the rpicam-vid program
 * @param rpicamAlign  luma row alignment in bytes; empty: detected from the board (128 on a Pi 5, else 64)
 * @param command      argv of the {@code command} camera
 * @param restart      when a dead or stalled camera process is started again
 */
public record CameraConfig(String source, Optional<Path> filesDir, double filesFps, int filesHold, boolean filesLoop,
                           int width, int height, OptionalInt stride, PixelFormat format, double fps,
                           Autofocus autofocus, OptionalDouble lensDioptres, OptionalLong shutterMicros,
                           OptionalDouble gain, String rpicamBinary, OptionalInt rpicamAlign, List<String> command,
                           RestartPolicy restart) {
    public static final List<ConfigKey> KEYS = List.of(
            ConfigKey.required("camera.source", "files | rpicam | command"),
            ConfigKey.optional("camera.files.dir", "folder of PNG/JPEG images played as a camera (camera.source=files)"),
            ConfigKey.withDefault("camera.files.fps", "10", "frames per second the folder is played at (0.1-120)"),
            ConfigKey.withDefault("camera.files.hold", "5", "frames each image stays in view (1-1000)"),
            ConfigKey.withDefault("camera.files.loop", "true", "start the folder over when it ends; false: finish, drain the outbox and exit 0"),
            ConfigKey.withDefault("camera.width", "640", "frame width in pixels for rpicam and command (16-4096)"),
            ConfigKey.withDefault("camera.height", "480", "frame height in pixels for rpicam and command (16-4096)"),
            ConfigKey.optional("camera.stride", "bytes per luma row; rpicam: checked against the Pi's layout; command: default camera.width"),
            ConfigKey.withDefault("camera.format", "yuv420", "yuv420 | gray: the raw frames camera.command prints"),
            ConfigKey.withDefault("camera.fps", "15", "frame rate asked of rpicam-vid (1-120)"),
            ConfigKey.withDefault("camera.autofocus", "default", "default | continuous | auto | manual (rpicam-vid --autofocus-mode)"),
            ConfigKey.optional("camera.lens.dioptres", "lens position for camera.autofocus=manual, 0 (infinity) to 32"),
            ConfigKey.optional("camera.shutter.us", "fixed exposure time in microseconds (100-1000000); unset: automatic"),
            ConfigKey.optional("camera.gain", "fixed analogue gain (1-64); unset: automatic"),
            ConfigKey.withDefault("camera.rpicam.binary", "rpicam-vid", "the rpicam-vid program: a name on PATH or a path"),
            ConfigKey.withDefault("camera.rpicam.align", "auto", "auto | 64 | 128: luma row alignment in bytes (auto: 128 on a Pi 5, else 64)"),
            ConfigKey.optional("camera.command", "argv of the command camera as a JSON array of strings, run without a shell"),
            ConfigKey.withDefault("camera.restart.first.ms", "500", "wait before restarting a camera process that died (10-60000)"),
            ConfigKey.withDefault("camera.restart.max.ms", "30000", "longest wait between restarts; doubles up to it (100-600000)"),
            ConfigKey.withDefault("camera.stall.ms", "10000", "kill and restart a camera process that writes no whole frame for this long (500-600000)"));

    private static final int MIN_SIDE = 16;
    private static final int MAX_SIDE = 4096;

    public CameraConfig {
        Objects.requireNonNull(source);
        Objects.requireNonNull(filesDir);
        Objects.requireNonNull(stride);
        Objects.requireNonNull(format);
        Objects.requireNonNull(autofocus);
        Objects.requireNonNull(lensDioptres);
        Objects.requireNonNull(shutterMicros);
        Objects.requireNonNull(gain);
        Objects.requireNonNull(rpicamBinary);
        Objects.requireNonNull(rpicamAlign);
        command = List.copyOf(command);
        Objects.requireNonNull(restart);
    }

    public static CameraConfig from(Settings s) throws ConfigException {
        String source = s.choice("camera.source", "files", "rpicam", "command");
        Optional<Path> dir = Optional.empty();
        if (source.equals("files")) {
            dir = Optional.of(s.folder("camera.files.dir"));
        }
        int width = s.integer("camera.width", MIN_SIDE, MAX_SIDE);
        int height = s.integer("camera.height", MIN_SIDE, MAX_SIDE);
        OptionalInt stride = s.optional("camera.stride").isPresent()
                ? OptionalInt.of(s.integer("camera.stride", MIN_SIDE, 2 * MAX_SIDE)) : OptionalInt.empty();
        PixelFormat format = PixelFormat.valueOf(s.choice("camera.format", "yuv420", "gray").toUpperCase(Locale.ROOT));
        Autofocus autofocus = Autofocus.valueOf(s.choice("camera.autofocus", "default", "continuous", "auto", "manual")
                .toUpperCase(Locale.ROOT));
        OptionalDouble lens = s.optional("camera.lens.dioptres").isPresent()
                ? OptionalDouble.of(s.decimal("camera.lens.dioptres", 0, 32)) : OptionalDouble.empty();
        if (lens.isPresent() && autofocus != Autofocus.MANUAL) {
            throw new ConfigException("camera.lens.dioptres", "only applies with camera.autofocus=manual (it is "
                    + autofocus.name().toLowerCase(Locale.ROOT) + "); remove it or set camera.autofocus=manual");
        }
        OptionalLong shutter = s.optional("camera.shutter.us").isPresent()
                ? OptionalLong.of(s.integer("camera.shutter.us", 100, 1_000_000)) : OptionalLong.empty();
        OptionalDouble gain = s.optional("camera.gain").isPresent()
                ? OptionalDouble.of(s.decimal("camera.gain", 1, 64)) : OptionalDouble.empty();
        String align = s.choice("camera.rpicam.align", "auto", "64", "128");
        RestartPolicy restart = restartPolicy(s);
        List<String> command = s.optional("camera.command").isPresent() ? argv(s.text("camera.command")) : List.of();

        CameraConfig config = new CameraConfig(source, dir, s.decimal("camera.files.fps", 0.1, 120),
                s.integer("camera.files.hold", 1, 1000), s.bool("camera.files.loop"), width, height, stride, format,
                s.decimal("camera.fps", 1, 120), autofocus, lens, shutter, gain, s.text("camera.rpicam.binary"),
                align.equals("auto") ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(align)), command,
                restart);
        switch (source) {
            case "rpicam" -> {
                if (format != PixelFormat.YUV420) {
                    throw new ConfigException("camera.format", "rpicam-vid streams yuv420; gray is for "
                            + "camera.source=command (remove camera.format)");
                }
                if (config.rpicamAlign().isPresent()) {
                    config.rpicam(config.rpicamAlign().getAsInt());
                } else {
                    config.checkedYuv420Size();
                }
            }
            case "command" -> {
                if (command.isEmpty()) {
                    throw new ConfigException("camera.command", "missing; camera.source=command needs the argv, e.g. "
                            + "[\"ffmpeg\",\"-f\",\"v4l2\",\"-i\",\"/dev/video0\",\"-f\",\"rawvideo\",\"-pix_fmt\","
                            + "\"yuv420p\",\"-\"]");
                }
                config.commandLayout();
            }
            default -> {
                // files: the images carry their own size.
            }
        }
        return config;
    }

    /**
     * The rpicam-vid command for a board whose rows are aligned to {@code boardRowAlign} bytes (used when
     * camera.rpicam.align is auto); a camera.stride that differs from the stride rpicam-vid will write is refused.
     */
    public RpicamCommand rpicam(int boardRowAlign) throws ConfigException {
        checkedYuv420Size();
        int align = rpicamAlign.orElse(boardRowAlign);
        RpicamCommand cmd;
        try {
            cmd = new RpicamCommand(rpicamBinary, width, height, fps, autofocus, lensDioptres, shutterMicros, gain,
                    align);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("camera.width", e.getMessage());
        }
        if (stride.isPresent() && stride.getAsInt() != cmd.stride()) {
            throw new ConfigException("camera.stride", "is " + stride.getAsInt() + " but rpicam-vid writes "
                    + width + "-pixel rows at a stride of " + cmd.stride() + " bytes on this board (rows aligned to "
                    + align + " bytes: 64 on a Pi 4, 128 on a Pi 5); set camera.stride=" + cmd.stride()
                    + ", remove it, or set camera.rpicam.align to the board's alignment");
        }
        return cmd;
    }

    /** The frames camera.command prints: camera.format at camera.width x camera.height, rows of camera.stride. */
    public RawFrameLayout commandLayout() throws ConfigException {
        if (format == PixelFormat.YUV420) {
            checkedYuv420Size();
        }
        int s = stride.orElse(width);
        if (s < width) {
            throw new ConfigException("camera.stride", "is " + s + ", narrower than camera.width " + width
                    + "; a row holds at least the width");
        }
        if (format == PixelFormat.YUV420 && s % 2 != 0) {
            throw new ConfigException("camera.stride", "is " + s + "; yuv420 rows need an even stride (the chroma "
                    + "rows are half as long)");
        }
        return new RawFrameLayout(format, width, height, s);
    }

    private void checkedYuv420Size() throws ConfigException {
        if (width % 2 != 0) {
            throw new ConfigException("camera.width", "is " + width + "; yuv420 needs an even width");
        }
        if (height % 2 != 0) {
            throw new ConfigException("camera.height", "is " + height + "; yuv420 needs an even height");
        }
    }

    private static RestartPolicy restartPolicy(Settings s) throws ConfigException {
        Duration first = s.millis("camera.restart.first.ms", 10, 60_000);
        Duration max = s.millis("camera.restart.max.ms", 100, 600_000);
        if (max.compareTo(first) < 0) {
            throw new ConfigException("camera.restart.max.ms", "is " + max.toMillis()
                    + ", shorter than camera.restart.first.ms " + first.toMillis());
        }
        return new RestartPolicy(first, max, s.millis("camera.stall.ms", 500, 600_000));
    }

    /** Parses a JSON array of strings: JSON, so an argument may hold spaces and no shell quoting rules apply. */
    static List<String> argv(String json) throws ConfigException {
        String allowed = "a JSON array of strings, program first, e.g. [\"ffmpeg\",\"-i\",\"/dev/video0\",...]";
        JsonNode node;
        try {
            node = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw Settings.bad("camera.command", json, allowed);
        }
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw Settings.bad("camera.command", json, allowed);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual() || item.asText().isEmpty()) {
                throw Settings.bad("camera.command", json, allowed + " (every item a non-empty string)");
            }
            out.add(item.asText());
        }
        return out;
    }
}
