package ckp.kiosk.scan;

import ckp.drivers.camera.Frame;
import ckp.drivers.camera.FrameSource;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The scanning stage: a reader thread takes frames from the camera into a one-frame slot, and a decode thread takes
 * the newest frame from that slot. When decoding falls behind, older frames are overwritten (dropped), never queued,
 * so the camera pipe never backs up and a sighting is never seconds stale.
 */
public final class Scanner implements AutoCloseable {
    private static final TaggedLogger LOG = Logger.tag("scan");

    private final FrameSource source;
    private final FrameDecoder decoder;
    private final RepeatFilter repeats;
    private final Consumer<Sighting> sightings;
    private final AtomicReference<Frame> slot = new AtomicReference<>();
    private final Object signal = new Object();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicLong framesRead = new AtomicLong();
    private final AtomicLong framesDecoded = new AtomicLong();
    private final AtomicLong framesDropped = new AtomicLong();
    private final AtomicReference<ScannedFrame> newest = new AtomicReference<>();
    private volatile boolean running = true;
    private volatile boolean sourceEnded;
    private volatile boolean sourceFailed;
    private Thread readerThread;
    private Thread decoderThread;

    public Scanner(FrameSource source, FrameDecoder decoder, RepeatFilter repeats, Consumer<Sighting> sightings) {
        this.source = source;
        this.decoder = decoder;
        this.repeats = repeats;
        this.sightings = sightings;
    }

    public void start() {
        readerThread = Thread.ofPlatform().name("camera-reader").daemon().start(this::readLoop);
        decoderThread = Thread.ofPlatform().name("qr-decoder").daemon().start(this::decodeLoop);
    }

    private void readLoop() {
        try {
            while (running) {
                Optional<Frame> next = source.next();
                if (next.isEmpty()) {
                    LOG.info("camera source {} ended", source.describe());
                    break;
                }
                framesRead.incrementAndGet();
                if (slot.getAndSet(next.get()) != null) {
                    framesDropped.incrementAndGet();
                }
                synchronized (signal) {
                    signal.notifyAll();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            sourceFailed = true;
            LOG.error(e, "camera source {} failed", source.describe());
        } finally {
            // The decoder finishes the frame in the slot, if any, before it sees the end.
            sourceEnded = true;
            synchronized (signal) {
                signal.notifyAll();
            }
        }
    }

    private void decodeLoop() {
        try {
            while (running) {
                boolean ended = sourceEnded;
                Frame frame = slot.getAndSet(null);
                if (frame == null) {
                    if (ended) {
                        break;
                    }
                    synchronized (signal) {
                        if (slot.get() == null && !sourceEnded) {
                            signal.wait(100);
                        }
                    }
                    continue;
                }
                long t0 = System.nanoTime();
                List<DecodedCode> codes = decoder.decode(frame);
                long decodeNanos = System.nanoTime() - t0;
                newest.set(new ScannedFrame(frame, codes, decoder.lastUnread(), decodeNanos));
                framesDecoded.incrementAndGet();
                // One sighting per frame that shows any new code, carrying every code in it: the lane chooses.
                boolean anyNew = false;
                for (DecodedCode code : codes) {
                    anyNew |= repeats.isNew(code.text(), frame.monotonicNanos());
                }
                if (anyNew) {
                    List<String> texts = codes.stream().map(DecodedCode::text).distinct().toList();
                    sightings.accept(new Sighting(texts, frame.sequence(), frame.monotonicNanos(), decodeNanos));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error(e, "decoder failed");
        } finally {
            finished.countDown();
        }
    }

    /** Blocks until the source has ended and every frame read has been decoded or dropped. */
    public void awaitEnd() throws InterruptedException {
        finished.await();
    }

    /** True when the camera ended because it failed, not because a played folder ran out. */
    public boolean sourceFailed() {
        return sourceFailed;
    }

    /** True once the source has ended for good: the camera is known idle, not stuck. */
    public boolean sourceEnded() {
        return sourceEnded;
    }

    public long framesRead() {
        return framesRead.get();
    }

    public long framesDecoded() {
        return framesDecoded.get();
    }

    /** The newest frame decoded and what was found in it, for the aiming view; empty before the first. */
    public Optional<ScannedFrame> newest() {
        return Optional.ofNullable(newest.get());
    }

    public long framesDropped() {
        return framesDropped.get();
    }

    @Override
    public void close() {
        running = false;
        if (readerThread != null) {
            readerThread.interrupt();
        }
        if (decoderThread != null) {
            decoderThread.interrupt();
        }
        source.close();
    }
}
