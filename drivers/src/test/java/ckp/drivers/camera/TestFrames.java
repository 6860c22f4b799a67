package ckp.drivers.camera;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/** Raw frames with a known luma pattern, and the real processes (ffmpeg, sh scripts) the camera tests run. */
final class TestFrames {
    private TestFrames() {
    }

    /** The luma value the pattern puts at row r, column c of frame f; differs between frames and along both axes. */
    static int luma(int f, int r, int c) {
        return (r * 3 + c * 5 + f * 17) & 0xff;
    }

    /** {@code frames} unpadded yuv420p frames of the pattern: Y, then U and V filled with a neutral 128. */
    static byte[] yuv420(int width, int height, int frames) {
        int y = width * height;
        int frameBytes = y + y / 2;
        byte[] out = new byte[frameBytes * frames];
        for (int f = 0; f < frames; f++) {
            int base = f * frameBytes;
            for (int r = 0; r < height; r++) {
                for (int c = 0; c < width; c++) {
                    out[base + r * width + c] = (byte) luma(f, r, c);
                }
            }
            java.util.Arrays.fill(out, base + y, base + frameBytes, (byte) 128);
        }
        return out;
    }

    /** {@code frames} unpadded gray frames of the pattern. */
    static byte[] gray(int width, int height, int frames) {
        byte[] out = new byte[width * height * frames];
        for (int f = 0; f < frames; f++) {
            for (int r = 0; r < height; r++) {
                for (int c = 0; c < width; c++) {
                    out[f * width * height + r * width + c] = (byte) luma(f, r, c);
                }
            }
        }
        return out;
    }

    /** ffmpeg re-padding unpadded raw frames in {@code input} to rows of {@code stride} bytes, written to stdout. */
    static List<String> ffmpegPad(Path input, String pixFmt, int width, int height, int stride) {
        return List.of("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", pixFmt,
                "-s", width + "x" + height, "-i", input.toString(), "-vf", "pad=" + stride + ":" + height + ":0:0",
                "-f", "rawvideo", "-pix_fmt", pixFmt, "-");
    }

    /** Asserts the frame holds frame {@code f} of the pattern at its stride; padding bytes are not looked at. */
    static void assertPattern(Frame frame, int f) {
        for (int r = 0; r < frame.height(); r++) {
            for (int c = 0; c < frame.width(); c++) {
                int got = frame.luma()[r * frame.stride() + c] & 0xff;
                if (got != luma(f, r, c)) {
                    throw new AssertionError("frame " + f + " row " + r + " col " + c + ": luma " + got
                            + ", expected " + luma(f, r, c) + " (stride " + frame.stride() + ")");
                }
            }
        }
    }

    /** Writes an executable sh script; the tests' fake cameras, never how the kiosk starts one. */
    static Path script(Path dir, String name, String... lines) throws IOException {
        List<String> all = new ArrayList<>();
        all.add("#!/bin/sh");
        all.addAll(List.of(lines));
        Path p = dir.resolve(name);
        Files.write(p, all);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }
}
