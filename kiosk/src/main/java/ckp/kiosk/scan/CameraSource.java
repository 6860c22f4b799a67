package ckp.kiosk.scan;

import ckp.drivers.camera.RawFrameLayout;
import ckp.drivers.camera.RawFrameLayout.PixelFormat;
import ckp.drivers.camera.RpicamCommand;
import ckp.drivers.camera.RpicamCommand.Autofocus;
import ckp.kiosk.config.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Which camera feeds the lane ({@code camera.source}), each kind with only the settings it uses: a folder of images,
 * the Pi camera through rpicam-vid, or a command printing raw frames. Checked when read, so a built source can be
 * started.
 */
public sealed interface CameraSource {

    /** Which {@code camera.source} word this is. */
    enum Kind { FILES, RPICAM, COMMAND }

    /**
     * A folder of PNG/JPEG images played as a camera.
     *
     * @param holdFrames frames each image stays in view
     * @param loop       whether the folder starts over when it ends; when not, the service finishes and exits 0
     */
    record Files(Path dir, double fps, int holdFrames, boolean loop) implements CameraSource {
        public Files {
            Objects.requireNonNull(dir, "dir");
        }
    }

    /**
     * The Pi camera through rpicam-vid, streaming yuv420.
     *
     * @param stride        bytes per luma row when set; checked against the rows rpicam-vid will write
     * @param lensDioptres  lens position, only with manual focus
     * @param shutterMicros fixed exposure time; empty: automatic
     * @param gain          fixed analogue gain; empty: automatic
     * @param align         luma row alignment in bytes; empty: detected from the board (128 on a Pi 5, else 64)
     */
    record Rpicam(int width, int height, OptionalInt stride, double fps, Autofocus autofocus,
                  OptionalDouble lensDioptres, OptionalLong shutterMicros, OptionalDouble gain, String binary,
                  OptionalInt align) implements CameraSource {
        public Rpicam {
            Objects.requireNonNull(stride, "stride");
            Objects.requireNonNull(autofocus, "autofocus");
            Objects.requireNonNull(lensDioptres, "lensDioptres");
            Objects.requireNonNull(shutterMicros, "shutterMicros");
            Objects.requireNonNull(gain, "gain");
            Objects.requireNonNull(binary, "binary");
            Objects.requireNonNull(align, "align");
        }

        /**
         * The rpicam-vid command for a board whose rows are aligned to {@code boardRowAlign} bytes (used when
         * camera.rpicam.align is auto); a camera.stride that differs from the stride rpicam-vid will write is refused.
         */
        public RpicamCommand command(int boardRowAlign) throws ConfigException {
            checkYuv420Size(width, height);
            int rowAlign = align.orElse(boardRowAlign);
            RpicamCommand cmd;
            try {
                cmd = new RpicamCommand(binary, width, height, fps, autofocus, lensDioptres, shutterMicros, gain,
                        rowAlign);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("camera.width", e.getMessage());
            }
            if (stride.isPresent() && stride.getAsInt() != cmd.stride()) {
                throw new ConfigException("camera.stride", "is " + stride.getAsInt() + " but rpicam-vid writes "
                        + width + "-pixel rows at a stride of " + cmd.stride() + " bytes on this board (rows aligned "
                        + "to " + rowAlign + " bytes: 64 on a Pi 4, 128 on a Pi 5); set camera.stride="
                        + cmd.stride() + ", remove it, or set camera.rpicam.align to the board's alignment");
            }
            return cmd;
        }
    }

    /**
     * A program (argv, never run through a shell) printing raw frames of {@code layout} to stdout.
     */
    record Command(List<String> argv, RawFrameLayout layout) implements CameraSource {
        public Command {
            argv = List.copyOf(argv);
            Objects.requireNonNull(layout, "layout");
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("a command camera needs at least the program");
            }
        }

        /** The frames the command prints: {@code format} at width x height, rows of {@code stride} (or width). */
        static RawFrameLayout layout(PixelFormat format, int width, int height, OptionalInt stride)
                throws ConfigException {
            if (format == PixelFormat.YUV420) {
                checkYuv420Size(width, height);
            }
            int s = stride.orElse(width);
            if (s < width) {
                throw new ConfigException("camera.stride", "is " + s + ", narrower than camera.width " + width
                        + "; a row holds at least the width");
            }
            if (format == PixelFormat.YUV420 && s % 2 != 0) {
                throw new ConfigException("camera.stride", "is " + s + "; yuv420 rows need an even stride (the "
                        + "chroma rows are half as long)");
            }
            return new RawFrameLayout(format, width, height, s);
        }
    }

    private static void checkYuv420Size(int width, int height) throws ConfigException {
        if (width % 2 != 0) {
            throw new ConfigException("camera.width", "is " + width + "; yuv420 needs an even width");
        }
        if (height % 2 != 0) {
            throw new ConfigException("camera.height", "is " + height + "; yuv420 needs an even height");
        }
    }
}
