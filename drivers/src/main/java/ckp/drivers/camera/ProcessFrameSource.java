package ckp.drivers.camera;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * A camera that is a child process writing raw frames to its stdout (rpicam-vid, ffmpeg, any command). The process is
 * started from an argv with no shell, so no config value is ever parsed by one; stdin is /dev/null so a tool that reads
 * keys (ffmpeg) never waits on us. Its stderr is drained on its own thread into the log, rate-limited, because a full
 * stderr pipe would block the process and with it the frames. When the process ends, dies mid-frame or stalls, the
 * source records why and starts it again after a growing backoff, so {@link #next()} blocks through a camera restart
 * rather than ending the lane. A stall is measured from the last whole frame read, so the source expects a reader
 * that keeps calling {@code next()} (the scanner's reader thread does, dropping frames the decoder has no time for).
 */
final class ProcessFrameSource implements FrameSource {
    private static final TaggedLogger LOG = Logger.tag("camera");
    /** Stderr lines logged per window; the rest are counted, so a chatty camera cannot flood the journal. */
    private static final int STDERR_LINES_PER_WINDOW = 20;
    private static final long STDERR_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int STDERR_LINE_MAX_CHARS = 300;
    /** How long a process gets to exit after its stdout ended or after SIGTERM, before SIGKILL. */
    private static final long EXIT_GRACE_MILLIS = 2000;

    private final String name;
    private final List<String> argv;
    private final RawFrameLayout layout;
    private final RestartPolicy policy;
    private final Function<String, Optional<String>> stderrFault;
    private final Object lock = new Object();

    private volatile boolean closed;
    private volatile Process process;
    private RawFrameReader reader;
    private long nextSequence;
    private volatile long processStartNanos;
    private long nextStartNanos = System.nanoTime();
    private int consecutiveFailures;
    private volatile long lastProgressNanos;
    private volatile String stallReason;
    private volatile String fault;
    private volatile String lastStderrLine;
    private volatile long framesRead;
    private volatile long restarts;
    private volatile String lastError;
    private volatile Duration nextBackoff;
    private Thread watchdog;

    /**
     * @param name        what the camera is in logs ({@code rpicam}, {@code command})
     * @param argv        the program and its arguments; never passed through a shell
     * @param layout      the frames the program writes
     * @param stderrFault reads each stderr line; a message means the process writes frames other than
     *                    {@code layout}, so reading on would hand out garbage: the source stops with that message
     */
    ProcessFrameSource(String name, List<String> argv, RawFrameLayout layout, RestartPolicy policy,
                              Function<String, Optional<String>> stderrFault) {
        this.name = Objects.requireNonNull(name, "name");
        this.argv = List.copyOf(argv);
        if (this.argv.isEmpty() || this.argv.get(0).isBlank()) {
            throw new IllegalArgumentException("a camera command needs at least a program name, got " + argv);
        }
        this.layout = Objects.requireNonNull(layout, "layout");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.stderrFault = Objects.requireNonNull(stderrFault, "stderrFault");
        this.nextBackoff = policy.firstBackoff();
    }

    /** A command writing frames of {@code layout}, with no stderr checks. */
    static ProcessFrameSource command(List<String> argv, RawFrameLayout layout, RestartPolicy policy) {
        return new ProcessFrameSource("command", argv, layout, policy, line -> Optional.empty());
    }

    /** rpicam-vid as set out by {@code command}, whose libcamera log is checked for a frame size other than asked. */
    static ProcessFrameSource rpicam(RpicamCommand command, RestartPolicy policy) {
        return new ProcessFrameSource("rpicam", command.argv(), command.layout(), policy, command::faultIn);
    }

    @Override
    public Optional<Frame> next() throws IOException, InterruptedException {
        while (!closed) {
            if (fault != null) {
                throw new IOException(fault);
            }
            if (reader == null) {
                start();
                continue;
            }
            RawFrameReader.Outcome outcome;
            try {
                outcome = reader.next();
            } catch (IOException e) {
                if (closed) {
                    break;
                }
                ended("reading its stdout failed: " + e.getMessage());
                continue;
            }
            switch (outcome) {
                case RawFrameReader.FrameRead read -> {
                    nextSequence = reader.nextSequence();
                    framesRead++;
                    lastProgressNanos = System.nanoTime();
                    if (fault != null) {
                        // The stderr check fired while this frame was read: it has the wrong layout too.
                        throw new IOException(fault);
                    }
                    return Optional.of(read.frame());
                }
                case RawFrameReader.StreamEnded ended -> ended("its stdout ended");
                case RawFrameReader.FrameTruncated t -> ended("its stdout ended " + t.bytesRead() + " bytes into a "
                        + t.frameBytes() + "-byte frame; the partial frame was dropped");
            }
        }
        return Optional.empty();
    }

    private void start() throws InterruptedException {
        synchronized (lock) {
            long waitNanos;
            while (!closed && (waitNanos = nextStartNanos - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(lock, waitNanos);
            }
            if (closed) {
                return;
            }
            ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(Redirect.from(new File("/dev/null")));
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                failed("could not start " + argv.get(0) + ": " + e.getMessage(), 0);
                return;
            }
            process = p;
            stallReason = null;
            lastStderrLine = null;
            processStartNanos = System.nanoTime();
            lastProgressNanos = processStartNanos;
            reader = new RawFrameReader(p.getInputStream(), layout, nextSequence);
            Thread.ofPlatform().daemon().name(name + "-stderr-" + p.pid()).start(() -> drainStderr(p));
            if (watchdog == null) {
                watchdog = Thread.ofPlatform().daemon().name(name + "-watchdog").start(this::watchStalls);
            }
            LOG.info("{} camera started (pid {}): {}; {}", name, p.pid(), String.join(" ", argv), layout);
        }
    }

    /** The process's stdout is done: collects its exit status, and schedules the restart. */
    private void ended(String how) throws InterruptedException {
        Process p = process;
        long ranNanos = System.nanoTime() - processStartNanos;
        String status;
        try {
            p.getInputStream().close();
        } catch (IOException e) {
            // Closing a pipe we are done with cannot lose data; the process is reaped below either way.
        }
        if (!p.waitFor(EXIT_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
            kill(p);
            p.waitFor(EXIT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            status = "did not exit after " + how + " and was killed";
        } else {
            int code = p.exitValue();
            status = code > 128 && code < 160 ? "was killed by signal " + (code - 128) : "exited with status " + code;
            status = status + "; " + how;
        }
        String stalled = stallReason;
        if (stalled != null) {
            status = stalled;
        }
        String stderr = lastStderrLine;
        synchronized (lock) {
            process = null;
            reader = null;
            if (!closed && fault == null) {
                failed(status + (stderr == null ? "" : "; last stderr: " + stderr), ranNanos);
            }
        }
    }

    private void failed(String why, long ranNanos) {
        // A process that ran at least as long as the longest wait was healthy; its death starts the backoff over.
        if (ranNanos >= policy.maxBackoff().toNanos()) {
            consecutiveFailures = 0;
        }
        consecutiveFailures++;
        Duration wait = policy.backoffAfter(consecutiveFailures);
        nextBackoff = policy.backoffAfter(consecutiveFailures + 1);
        nextStartNanos = System.nanoTime() + wait.toNanos();
        restarts++;
        lastError = name + " camera " + why;
        LOG.warn("{}; restart {} in {} ms", lastError, restarts, wait.toMillis());
    }

    private void watchStalls() {
        long periodMillis = Math.max(20, policy.stallTimeout().toMillis() / 4);
        while (!closed) {
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
            Process p = process;
            if (p != null && p.isAlive() && System.nanoTime() - lastProgressNanos > policy.stallTimeout().toNanos()) {
                stallReason = "stalled: no whole frame for " + policy.stallTimeout().toMillis()
                        + " ms, so it was killed";
                kill(p);
            }
        }
    }

    private void drainStderr(Process p) {
        String tag = "[" + name + " " + p.pid() + "] ";
        long windowStart = System.nanoTime();
        int logged = 0;
        long suppressed = 0;
        StringBuilder line = new StringBuilder();
        boolean overlong = false;
        byte[] buf = new byte[4096];
        try (InputStream err = p.getErrorStream()) {
            int n;
            while ((n = err.read(buf)) > 0) {
                String chunk = new String(buf, 0, n, StandardCharsets.UTF_8);
                for (int i = 0; i < chunk.length(); i++) {
                    char c = chunk.charAt(i);
                    if (c != '\n' && c != '\r') {
                        if (line.length() < STDERR_LINE_MAX_CHARS) {
                            line.append(c);
                        } else {
                            overlong = true;
                        }
                        continue;
                    }
                    if (line.isEmpty()) {
                        continue;
                    }
                    String text = line.toString().strip() + (overlong ? "..." : "");
                    line.setLength(0);
                    overlong = false;
                    lastStderrLine = text;
                    checkFault(p, text);
                    long now = System.nanoTime();
                    if (now - windowStart > STDERR_WINDOW_NANOS) {
                        if (suppressed > 0) {
                            LOG.info("{}{} stderr lines not logged", tag, suppressed);
                        }
                        windowStart = now;
                        logged = 0;
                        suppressed = 0;
                    }
                    if (logged < STDERR_LINES_PER_WINDOW) {
                        logged++;
                        LOG.info("{}{}", tag, text);
                    } else {
                        suppressed++;
                    }
                }
            }
        } catch (IOException e) {
            // The pipe closes when the process dies or the source is closed; the exit status tells the story.
        }
        if (!line.isEmpty()) {
            lastStderrLine = line.toString().strip();
            LOG.info("{}{}", tag, lastStderrLine);
        }
        if (suppressed > 0) {
            LOG.info("{}{} stderr lines not logged", tag, suppressed);
        }
    }

    private void checkFault(Process p, String stderrLine) {
        Optional<String> found = stderrFault.apply(stderrLine);
        if (found.isPresent() && fault == null) {
            fault = name + " camera fault: " + found.get();
            lastError = fault;
            LOG.error(fault);
            kill(p);
        }
    }

    @Override
    public String describe() {
        return name + ":" + argv.get(0) + " " + layout;
    }

    /** Restarts, the last failure and whether a process is running: for telemetry. */
    @Override
    public CameraHealth health() {
        Process p = process;
        boolean running = p != null && p.isAlive();
        boolean provenHealthy = running && System.nanoTime() - processStartNanos >= policy.maxBackoff().toNanos();
        return new CameraHealth(running, framesRead, restarts, Optional.ofNullable(lastError),
                provenHealthy ? policy.firstBackoff() : nextBackoff);
    }

    /** The pid of the running camera process, for tests and diagnostics; empty between restarts. */
    public Optional<Long> pid() {
        Process p = process;
        return p == null ? Optional.empty() : Optional.of(p.pid());
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        Thread w = watchdog;
        if (w != null) {
            w.interrupt();
        }
        Process p = process;
        if (p != null) {
            // SIGTERM first, so the camera tool can stop its pipeline itself; SIGKILL only if it does not exit in time.
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            try {
                if (!p.waitFor(EXIT_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                    kill(p);
                }
            } catch (InterruptedException e) {
                kill(p);
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * SIGKILLs the process and everything it started: a wrapper script's children would otherwise keep the stdout pipe
     * open, and the reader would wait on a dead camera forever.
     */
    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }
}
