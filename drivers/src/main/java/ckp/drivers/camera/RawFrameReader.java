package ckp.drivers.camera;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Cuts a headerless stream of raw frames into {@link Frame}s. Each frame's luma plane is read straight into a new array
 * that the frame then owns; the chroma planes are read into one reused scratch buffer and dropped.
 *
 * <p>Why a new luma array per frame rather than a pool: the scanner hands a frame to the decoder thread and may drop
 * it for a newer one at any time without telling the reader, so a pooled buffer could be refilled while the decoder is
 * still reading it, and nothing in {@link FrameSource} says when a frame is done with. At 640x480 a fresh plane is 300
 * KiB, at 15-30 fps 5-9 MiB/s of short-lived garbage, which a young-generation collector reclaims for almost nothing on
 * a Pi 4; the copy into the array is the pipe read we must do anyway. Not thread-safe: one reader thread.
 */
final class RawFrameReader {
    private final InputStream in;
    private final RawFrameLayout layout;
    private final byte[] chromaScratch;
    private long sequence;

    /** What one read found: a whole frame, the clean end of the stream, or the stream ending inside a frame. */
    public sealed interface Outcome permits FrameRead, StreamEnded, FrameTruncated {
    }

    public record FrameRead(Frame frame) implements Outcome {
        public FrameRead {
            Objects.requireNonNull(frame, "frame");
        }
    }

    /** The stream ended exactly on a frame boundary. */
    public record StreamEnded() implements Outcome {
    }

    /** The stream ended {@code bytesRead} bytes into a frame of {@code frameBytes}; those bytes are discarded. */
    public record FrameTruncated(int bytesRead, int frameBytes) implements Outcome {
        public FrameTruncated {
            if (bytesRead <= 0 || bytesRead >= frameBytes) {
                throw new IllegalArgumentException("a truncated frame has 1.." + (frameBytes - 1) + " bytes, got "
                        + bytesRead);
            }
        }
    }

    /**
     * @param firstSequence the sequence number of the first frame read, so a restarted process continues the count
     */
    public RawFrameReader(InputStream in, RawFrameLayout layout, long firstSequence) {
        this.in = Objects.requireNonNull(in, "in");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.chromaScratch = new byte[Math.min(Math.max(layout.chromaBytes(), 1), 64 * 1024)];
        this.sequence = firstSequence;
    }

    /** Blocks until a whole frame has been read or the stream ends. */
    public Outcome next() throws IOException {
        byte[] luma = new byte[layout.lumaBytes()];
        int got = in.readNBytes(luma, 0, luma.length);
        if (got == 0) {
            return new StreamEnded();
        }
        if (got < luma.length) {
            return new FrameTruncated(got, layout.frameBytes());
        }
        int chromaLeft = layout.chromaBytes();
        while (chromaLeft > 0) {
            int n = in.readNBytes(chromaScratch, 0, Math.min(chromaLeft, chromaScratch.length));
            if (n == 0) {
                return new FrameTruncated(layout.frameBytes() - chromaLeft, layout.frameBytes());
            }
            chromaLeft -= n;
        }
        return new FrameRead(new Frame(luma, layout.width(), layout.height(), layout.stride(), sequence++,
                System.nanoTime()));
    }

    /** The sequence number the next frame will carry. */
    public long nextSequence() {
        return sequence;
    }
}
