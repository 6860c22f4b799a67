package ckp.kiosk.scan;

import ckp.drivers.camera.Frame;
import ckp.drivers.camera.ImageFile;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The {@code decode} command: decodes image files (or every image under a folder) and prints one JSON line each:
 * {@code {"file":…, "codes":[{"text":…, "corners":[[x,y],…]}], "ms":…}}, where {@code ms} is the decode alone.
 */
public final class DecodeFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Files are not a live camera: every decode step gets its turn (a 4032x3024 phone photo of a small code needs the
     * full-resolution step, which a camera frame's budget would skip).
     */
    static final Duration FILE_BUDGET = Duration.ofSeconds(10);

    private DecodeFiles() {
    }

    /** Expands folders into their images (recursively, in name order); files are kept as given. */
    public static List<Path> expand(List<Path> paths) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(DecodeFiles::isImage).sorted().forEach(out::add);
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
    }

    /** Decodes each file and prints its line; returns how many files could not be read. */
    public static int run(List<Path> paths, PrintStream out, PrintStream err) throws IOException {
        QrDecoder decoder = new QrDecoder(FILE_BUDGET, List.of(DecodeStep.values()), false);
        int unreadable = 0;
        for (Path file : expand(paths)) {
            ObjectNode line = JSON.createObjectNode();
            line.put("file", file.toString());
            // The size is checked from the header before decoding (ImageFile): a small file can be a huge image.
            ImageFile.Read read = ImageFile.read(file);
            if (read instanceof ImageFile.Read.Refused refused) {
                unreadable++;
                line.put("error", refused.reason());
                out.println(line);
                continue;
            }
            Frame frame = ((ImageFile.Read.Image) read).frame();
            long t0 = System.nanoTime();
            List<DecodedCode> codes = decoder.decode(frame);
            long nanos = System.nanoTime() - t0;
            ArrayNode arr = line.putArray("codes");
            for (DecodedCode c : codes) {
                ObjectNode code = arr.addObject();
                code.put("text", c.text());
                ArrayNode pts = code.putArray("corners");
                for (DecodedCode.Point p : c.corners()) {
                    pts.addArray().add(round(p.x())).add(round(p.y()));
                }
            }
            line.put("ms", Math.round(nanos / 10_000.0) / 100.0);
            out.println(line);
        }
        out.flush();
        return unreadable;
    }

    private static double round(float v) {
        return Math.round(v * 10.0) / 10.0;
    }
}
