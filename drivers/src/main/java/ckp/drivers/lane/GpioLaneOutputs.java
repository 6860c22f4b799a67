package ckp.drivers.lane;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProvider;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalOutputProvider;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The lane's lights, buzzer and barrier relay on GPIO lines through Pi4J (gpiod provider), plus the optional presence
 * input. Every output is created with an explicit initial state and an explicit shutdown state, both the safe state:
 * barrier closed, buzzer silent, red and amber lit ("out of service"). So the lane is safe from the moment the lines
 * are claimed, again when Pi4J shuts down (also from its JVM shutdown hook) and again at the next start after a crash.
 * A kill -9 skips every hook: the barrier relay must be wired so that de-energised means closed (docs/screening.md).
 */
final class GpioLaneOutputs implements LaneOutputs {
    private static final TaggedLogger LOG = Logger.tag("lane");

    private final Context pi4j;
    private final boolean ownsContext;
    private final LanePins pins;
    private final DigitalOutput green;
    private final DigitalOutput red;
    private final DigitalOutput amber;
    private final DigitalOutput buzzer;
    private final DigitalOutput barrier;
    private final Optional<DigitalInput> presence;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lane-gpio-timer");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> beepEnd;
    private ScheduledFuture<?> barrierClose;
    private boolean closed;

    /** Outputs on the given context and providers; the context stays the caller's (tests pass Pi4J's mock providers). */
    GpioLaneOutputs(Context pi4j, String outputProvider, String inputProvider, LanePins pins) {
        this(pi4j, false, outputProvider, inputProvider, pins);
    }

    private GpioLaneOutputs(Context pi4j, boolean ownsContext, String outputProvider, String inputProvider, LanePins pins) {
        this.pi4j = pi4j;
        this.ownsContext = ownsContext;
        this.pins = pins;
        this.green = output("lane-green", pins.green(), false, outputProvider);
        this.red = output("lane-red", pins.red(), true, outputProvider);
        this.amber = output("lane-amber", pins.amber(), true, outputProvider);
        this.buzzer = output("lane-buzzer", pins.buzzer(), false, outputProvider);
        this.barrier = output("lane-barrier", pins.barrier(), false, outputProvider);
        this.presence = pins.presence().isPresent()
                ? Optional.of(pi4j.create(DigitalInput.newConfigBuilder(pi4j).id("lane-presence")
                        .address(pins.presence().getAsInt())
                        .pull(pins.presenceActiveLow() ? PullResistance.PULL_UP : PullResistance.PULL_DOWN)
                        .debounce(10_000L, TimeUnit.MICROSECONDS).provider(inputProvider)))
                : Optional.empty();
        LOG.info("lane GPIO: green {} red {} amber {} buzzer {} barrier {}{}; out of service until the lane starts",
                pins.green(), pins.red(), pins.amber(), pins.buzzer(), pins.barrier(),
                pins.presence().isPresent() ? " presence " + pins.presence().getAsInt() : "");
    }

    /**
     * The real lines on the Pi's GPIO chip, with a Pi4J context of their own.
     *
     * @throws IOException the lines cannot be claimed (no GPIO chip, lines held by another process)
     */
    static GpioLaneOutputs open(LanePins pins) throws IOException {
        // Pi4J's shutdown hook applies every line's shutdown state on any JVM exit, also the paths that never reach
        // close() (a failing start, an uncaught error); it is off by default.
        Context context = Pi4J.newContextBuilder().noAutoDetect().enableShutdownHook()
                .add(GpioDDigitalOutputProvider.newInstance(), GpioDDigitalInputProvider.newInstance()).build();
        try {
            return new GpioLaneOutputs(context, true, GpioDDigitalOutputProvider.ID, GpioDDigitalInputProvider.ID, pins);
        } catch (RuntimeException e) {
            try {
                context.shutdown();
            } catch (RuntimeException ignored) {
                // Already failing; the first error is the one worth reporting.
            }
            throw new IOException("cannot claim the lane GPIO lines " + pins + " through gpiod: "
                    + e.getMessage() + "; on a Raspberry Pi check /dev/gpiochip* and that no other process holds the"
                    + " lines, elsewhere use lane.outputs=console", e);
        }
    }

    private DigitalOutput output(String id, int pin, boolean safeOn, String provider) {
        DigitalState safe = level(safeOn);
        return pi4j.create(DigitalOutput.newConfigBuilder(pi4j).id(id).address(pin)
                .initial(safe).shutdown(safe).onState(level(true)).provider(provider));
    }

    /** The line level that means on (or off) for this wiring. */
    private DigitalState level(boolean on) {
        return on != pins.activeLow() ? DigitalState.HIGH : DigitalState.LOW;
    }

    private void set(DigitalOutput line, boolean on) {
        line.state(level(on));
    }

    @Override
    public synchronized void light(Light light) {
        if (closed) {
            return;
        }
        set(green, light == Light.GREEN);
        set(red, light == Light.RED || light == Light.OUT_OF_SERVICE);
        set(amber, light == Light.AMBER || light == Light.OUT_OF_SERVICE);
    }

    @Override
    public synchronized void beep(Duration duration) {
        if (closed) {
            return;
        }
        if (beepEnd != null) {
            beepEnd.cancel(false);
        }
        set(buzzer, true);
        beepEnd = timers.schedule(() -> off(buzzer), duration.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void openBarrier(Duration duration) {
        if (closed) {
            return;
        }
        if (barrierClose != null) {
            barrierClose.cancel(false);
        }
        set(barrier, true);
        barrierClose = timers.schedule(() -> off(barrier), duration.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void off(DigitalOutput line) {
        if (!closed) {
            set(line, false);
        }
    }

    /** The presence sensor on its input line, when one is configured. */
    public Optional<PresenceSensor> presence() {
        return presence.map(input -> new PresenceSensor() {
            @Override
            public boolean present() {
                return input.state() == (pins.presenceActiveLow() ? DigitalState.LOW : DigitalState.HIGH);
            }

            @Override
            public void close() {
            }
        });
    }

    /** Barrier closed, buzzer silent, out of service; then the lines are released (or left to the caller's context). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        timers.shutdownNow();
        closed = true;
        if (pi4j.isShutdown()) {
            // Pi4J's shutdown hook got here first and has applied every line's shutdown state.
            return;
        }
        try {
            set(barrier, false);
            set(buzzer, false);
            set(green, false);
            set(red, true);
            set(amber, true);
            if (ownsContext) {
                pi4j.shutdown();
            }
            LOG.info("lane GPIO released: barrier closed, out of service");
        } catch (RuntimeException e) {
            LOG.error("setting the lane's safe state failed ({}); each line's shutdown state still applies", e.getMessage());
        }
    }
}
