package ckp.drivers.camera;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How rpicam-vid is run to stream raw YUV420 to stdout: {@code rpicam-vid -t 0 -n --codec yuv420 --flush -o -} plus
 * size, frame rate, focus and exposure options, and the frame layout it writes.
 *
 * <p>The layout follows the Pi ISPs' buffer rules: rows are not cropped to the width but written at the buffer's stride.
 * On a Pi 4 (VC4 ISP) the YUV420 luma stride is the width rounded up to 64 bytes, so both chroma planes of a
 * single-plane buffer start 32-byte aligned (raspberrypi/linux#4419; e.g. 780 wide is written as 832). On a Pi 5
 * (PiSP) libcamera aligns the chroma stride to 64 bytes and doubles it for luma, i.e. the width rounded up to 128 bytes.
 * Rows are not padded vertically. {@code --flush} makes rpicam-vid flush each frame at once rather than leave its tail
 * in a stdio buffer until the next one.
 *
 * @param binary        the rpicam-vid executable (a name looked up on PATH, or a path)
 * @param rowAlignBytes 64 on a Pi 4 and earlier, 128 on a Pi 5
 * @param lensDioptres  lens position for {@code manual} focus (0 = infinity, 2 = half a metre); empty: camera default
 * @param shutterMicros fixed exposure time; empty: automatic exposure
 * @param analogueGain  fixed analogue gain; empty: automatic
 */
public record RpicamCommand(String binary, int width, int height, double framesPerSecond, Autofocus autofocus,
                            OptionalDouble lensDioptres, OptionalLong shutterMicros, OptionalDouble analogueGain,
                            int rowAlignBytes) {

    /** rpicam-vid's {@code --autofocus-mode}; {@code DEFAULT} leaves the option out, for cameras with a fixed lens. */
    public enum Autofocus { DEFAULT, MANUAL, AUTO, CONTINUOUS }

    /** libcamera's INFO line naming the stream it configured, e.g. "configuring streams: (0) 640x480-YUV420/sYCC". */
    private static final Pattern CONFIGURED_STREAM =
            Pattern.compile("configuring streams: \\(0\\) (\\d+)x(\\d+)-([A-Za-z0-9_]+)");

    public RpicamCommand {
        Objects.requireNonNull(binary, "binary");
        Objects.requireNonNull(autofocus, "autofocus");
        Objects.requireNonNull(lensDioptres, "lensDioptres");
        Objects.requireNonNull(shutterMicros, "shutterMicros");
        Objects.requireNonNull(analogueGain, "analogueGain");
        if (binary.isBlank()) {
            throw new IllegalArgumentException("the rpicam-vid binary name is blank");
        }
        if (rowAlignBytes != 64 && rowAlignBytes != 128) {
            throw new IllegalArgumentException("row alignment is 64 (Pi 4) or 128 (Pi 5) bytes, got " + rowAlignBytes);
        }
        if (!(framesPerSecond > 0 && framesPerSecond <= 240)) {
            throw new IllegalArgumentException("frame rate must be in (0, 240], got " + framesPerSecond);
        }
        if (lensDioptres.isPresent() && autofocus != Autofocus.MANUAL) {
            throw new IllegalArgumentException("a lens position only applies to manual focus, got " + autofocus);
        }
        // Validates size and parity once, here, rather than when the first frame arrives.
        new RawFrameLayout(RawFrameLayout.PixelFormat.YUV420, width, height, strideFor(width, rowAlignBytes));
    }

    /** The luma stride rpicam-vid writes for {@code width} pixels: the width rounded up to the row alignment. */
    public static int strideFor(int width, int rowAlignBytes) {
        return (width + rowAlignBytes - 1) / rowAlignBytes * rowAlignBytes;
    }

    /**
     * The row alignment of the Pi this runs on, from the device tree's compatible list: 128 for a Pi 5 (BCM2712), 64
     * for anything else, including machines that are not Pis at all.
     */
    public static int rowAlignOf(Path deviceTreeCompatible) {
        try {
            String compatible = new String(Files.readAllBytes(deviceTreeCompatible), StandardCharsets.US_ASCII);
            for (String entry : compatible.split("\0")) {
                if (entry.strip().equals("brcm,bcm2712")) {
                    return 128;
                }
            }
        } catch (IOException e) {
            // No device tree: not a Pi; the Pi 4 rule is the documented default.
        }
        return 64;
    }

    /** {@link #rowAlignOf(Path)} for this machine. */
    public static int rowAlignOfThisMachine() {
        return rowAlignOf(Path.of("/proc/device-tree/compatible"));
    }

    public int stride() {
        return strideFor(width, rowAlignBytes);
    }

    public RawFrameLayout layout() {
        return new RawFrameLayout(RawFrameLayout.PixelFormat.YUV420, width, height, stride());
    }

    public List<String> argv() {
        List<String> a = new ArrayList<>(List.of(binary, "-t", "0", "-n", "--codec", "yuv420", "--flush",
                "--width", Integer.toString(width), "--height", Integer.toString(height),
                "--framerate", number(framesPerSecond)));
        if (autofocus != Autofocus.DEFAULT) {
            a.add("--autofocus-mode");
            a.add(autofocus.name().toLowerCase(Locale.ROOT));
        }
        lensDioptres.ifPresent(d -> {
            a.add("--lens-position");
            a.add(number(d));
        });
        shutterMicros.ifPresent(us -> {
            a.add("--shutter");
            a.add(Long.toString(us));
        });
        analogueGain.ifPresent(g -> {
            a.add("--gain");
            a.add(number(g));
        });
        a.add("-o");
        a.add("-");
        return List.copyOf(a);
    }

    /**
     * A fault in one line of rpicam-vid's stderr: libcamera configured a stream other than the one asked for (it
     * adjusts sizes the sensor or ISP cannot produce), so the frames on stdout are not {@link #layout()} and every
     * frame after the first would be cut at the wrong place.
     */
    public Optional<String> faultIn(String stderrLine) {
        Matcher m = CONFIGURED_STREAM.matcher(stderrLine);
        if (!m.find()) {
            return Optional.empty();
        }
        String size = m.group(1) + "x" + m.group(2);
        String format = m.group(3);
        if (size.equals(width + "x" + height) && format.equals("YUV420")) {
            return Optional.empty();
        }
        return Optional.of("libcamera configured " + size + "-" + format + " but camera.width/camera.height ask for "
                + width + "x" + height + "-YUV420; set camera.width=" + m.group(1) + " and camera.height="
                + m.group(2) + " (sizes the camera can deliver unchanged)");
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
