package ckp.drivers.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import ckp.drivers.camera.RawFrameLayout.PixelFormat;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RawFrameReaderTest {
    @TempDir
    Path dir;

    @Test
    void yuv420FramesPaddedByFfmpegKeepEveryLumaRowAtItsStride() throws Exception {
        Path in = dir.resolve("in.yuv");
        Files.write(in, TestFrames.yuv420(100, 60, 3));
        Process ffmpeg = new ProcessBuilder(TestFrames.ffmpegPad(in, "yuv420p", 100, 60, 128))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        RawFrameReader reader = new RawFrameReader(ffmpeg.getInputStream(),
                new RawFrameLayout(PixelFormat.YUV420, 100, 60, 128), 7);

        for (int f = 0; f < 3; f++) {
            Frame frame = assertInstanceOf(RawFrameReader.FrameRead.class, reader.next()).frame();
            assertEquals(128, frame.stride());
            assertEquals(128 * 60, frame.luma().length);
            assertEquals(7 + f, frame.sequence());
            TestFrames.assertPattern(frame, f);
        }
        assertInstanceOf(RawFrameReader.StreamEnded.class, reader.next());
        assertEquals(0, ffmpeg.waitFor());
    }

    @Test
    void grayFramesPaddedByFfmpegAreReadWithoutChromaPlanes() throws Exception {
        Path in = dir.resolve("in.gray");
        Files.write(in, TestFrames.gray(90, 50, 2));
        Process ffmpeg = new ProcessBuilder(TestFrames.ffmpegPad(in, "gray", 90, 50, 96))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        RawFrameReader reader = new RawFrameReader(ffmpeg.getInputStream(),
                new RawFrameLayout(PixelFormat.GRAY, 90, 50, 96), 0);

        TestFrames.assertPattern(assertInstanceOf(RawFrameReader.FrameRead.class, reader.next()).frame(), 0);
        TestFrames.assertPattern(assertInstanceOf(RawFrameReader.FrameRead.class, reader.next()).frame(), 1);
        assertInstanceOf(RawFrameReader.StreamEnded.class, reader.next());
    }

    @Test
    void aStreamEndingInsideTheChromaPlanesIsReportedAsTruncatedNotHandedOutAsAFrame() throws Exception {
        RawFrameLayout layout = RawFrameLayout.unpadded(PixelFormat.YUV420, 64, 32);
        Path in = dir.resolve("in.yuv");
        Files.write(in, TestFrames.yuv420(64, 32, 3));
        int cut = 2 * layout.frameBytes() + layout.lumaBytes() + 100;
        Process head = new ProcessBuilder(List.of("head", "-c", Integer.toString(cut), in.toString())).start();
        RawFrameReader reader = new RawFrameReader(head.getInputStream(), layout, 0);

        TestFrames.assertPattern(assertInstanceOf(RawFrameReader.FrameRead.class, reader.next()).frame(), 0);
        TestFrames.assertPattern(assertInstanceOf(RawFrameReader.FrameRead.class, reader.next()).frame(), 1);
        RawFrameReader.FrameTruncated truncated = assertInstanceOf(RawFrameReader.FrameTruncated.class, reader.next());
        assertEquals(layout.lumaBytes() + 100, truncated.bytesRead());
        assertEquals(layout.frameBytes(), truncated.frameBytes());
        assertEquals(2, reader.nextSequence());
    }

    @Test
    void aStreamEndingInsideTheLumaPlaneIsReportedAsTruncated() throws Exception {
        RawFrameLayout layout = RawFrameLayout.unpadded(PixelFormat.GRAY, 10, 10);
        RawFrameReader reader = new RawFrameReader(new ByteArrayInputStream(new byte[137]), layout, 0);

        assertInstanceOf(RawFrameReader.FrameRead.class, reader.next());
        assertEquals(new RawFrameReader.FrameTruncated(37, 100), reader.next());
    }

    @Test
    void eachFrameOwnsItsLumaSoTheDecoderCanKeepAFrameWhileTheNextIsRead() throws Exception {
        RawFrameLayout layout = RawFrameLayout.unpadded(PixelFormat.GRAY, 4, 2);
        RawFrameReader reader = new RawFrameReader(new ByteArrayInputStream(TestFrames.gray(4, 2, 2)), layout, 0);

        Frame first = assertInstanceOf(RawFrameReader.FrameRead.class, reader.next()).frame();
        Frame second = assertInstanceOf(RawFrameReader.FrameRead.class, reader.next()).frame();
        TestFrames.assertPattern(first, 0);
        TestFrames.assertPattern(second, 1);
    }

    @Test
    void aYuv420LayoutIsOneAndAHalfStrideTimesHeight() {
        RawFrameLayout layout = new RawFrameLayout(PixelFormat.YUV420, 650, 360, 704);
        assertEquals(704 * 360 * 3 / 2, layout.frameBytes());
        assertEquals(704 * 360, layout.lumaBytes());
    }
}
