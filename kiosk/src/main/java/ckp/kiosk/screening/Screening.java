package ckp.kiosk.screening;

import ckp.drivers.thermometer.Thermometer;
import ckp.drivers.thermometer.ThermometerSample;
import ckp.drivers.time.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * Measures one person: opens the thermometer's window, samples it at the configured rate for the configured time
 * (and never outside a window), then classifies the samples with {@link #classify}. Integer hundredths throughout.
 */
public final class Screening {
    private static final TaggedLogger LOG = Logger.tag("screening");
    /** A corrected median outside this range is not a forehead (a car window, a hand, nobody): retest. */
    static final int FOREHEAD_MIN_CENTI_CELSIUS = 3000;
    static final int FOREHEAD_MAX_CENTI_CELSIUS = 4300;

    private final Thermometer thermometer;
    private final ScreeningConfig config;
    private final Ticker ticker;
    private volatile ThermometerHealth health;

    public Screening(Thermometer thermometer, ScreeningConfig config, Ticker ticker) {
        this.thermometer = Objects.requireNonNull(thermometer, "thermometer");
        this.config = Objects.requireNonNull(config, "config");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.health = ThermometerHealth.unknown(thermometer.describe());
    }

    /** One window: {@code samplesPerWindow} samples, one every {@code samplePeriod}. */
    public TemperatureResult measure() {
        thermometer.beginWindow();
        List<ThermometerSample> samples = new ArrayList<>();
        try {
            long start = ticker.nanos();
            long period = config.samplePeriod().toNanos();
            for (int i = 0; i < config.samplesPerWindow(); i++) {
                long wait = start + i * period - ticker.nanos();
                if (wait > 0) {
                    ticker.sleep(Duration.ofNanos(wait));
                }
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
                ThermometerSample s = thermometer.sample();
                samples.add(s);
                if (s.status() == ThermometerSample.Status.ABSENT) {
                    break;
                }
            }
        } finally {
            thermometer.endWindow();
        }
        note(samples);
        return classify(samples, config);
    }

    /** How long one window takes. */
    public Duration window() {
        return config.window();
    }

    /** The sensor's state after the last window, for telemetry. */
    public ThermometerHealth health() {
        return health;
    }

    private void note(List<ThermometerSample> samples) {
        ThermometerHealth now = ThermometerHealth.of(thermometer.describe(), samples);
        ThermometerHealth before = health;
        if (now.fault() && !before.fault()) {
            LOG.warn("thermometer {} faulty: {} {}", now.sensor(), now.status(), now.detail());
        } else if (!now.fault() && before.fault()) {
            LOG.info("thermometer {} works again", now.sensor());
        }
        health = now;
    }

    /**
     * The screening rule, pure: most samples must be valid (else invalid, or unavailable with no sensor); samples
     * further than the maximum spread from the median are outliers, and more than a quarter of them makes the window
     * unstable (retest), as does a spread above the maximum among the rest; the kiosk's offset is added to the median;
     * an ambient outside the envelope gives out_of_envelope; a corrected temperature that cannot be a forehead gives
     * retest; then fever at or above the threshold, else normal.
     */
    public static TemperatureResult classify(List<ThermometerSample> samples, ScreeningConfig rules) {
        List<ThermometerSample> valid = samples.stream().filter(ThermometerSample::ok).toList();
        if (samples.isEmpty() || samples.stream().allMatch(s -> s.status() == ThermometerSample.Status.ABSENT)) {
            return TemperatureResult.without(TemperatureResult.Kind.UNAVAILABLE, "no thermometer fitted");
        }
        int needed = (samples.size() + 1) / 2;
        if (valid.size() < needed) {
            ThermometerSample fault = samples.stream().filter(s -> !s.ok()).reduce((a, b) -> b).orElseThrow();
            String detail = fault.status().name().toLowerCase(Locale.ROOT) + " in " + (samples.size() - valid.size()) + " of "
                    + samples.size() + " samples: " + fault.detail();
            if (valid.isEmpty()) {
                return TemperatureResult.without(TemperatureResult.Kind.INVALID, detail);
            }
            int ambient = median(valid.stream().map(ThermometerSample::ambientCentiCelsius).toList());
            return new TemperatureResult(TemperatureResult.Kind.INVALID, OptionalDouble.empty(),
                    OptionalDouble.of(ambient / 100.0), valid.size(), 0, detail);
        }
        List<Integer> objects = valid.stream().map(ThermometerSample::objectCentiCelsius).toList();
        int ambient = median(valid.stream().map(ThermometerSample::ambientCentiCelsius).toList());
        int firstMedian = median(objects);
        List<Integer> kept = objects.stream()
                .filter(c -> Math.abs(c - firstMedian) <= rules.maxSpreadCentiCelsius()).toList();
        int outliers = objects.size() - kept.size();
        if (outliers * 4 > objects.size()) {
            // Can be every sample: two clusters put an even-count median between them.
            return TemperatureResult.of(TemperatureResult.Kind.RETEST, firstMedian + rules.offsetCentiCelsius(),
                    ambient, objects.size(), spread(objects),
                    "unstable: " + outliers + " of " + objects.size() + " samples off the median by more than "
                            + rules.maxSpreadCentiCelsius() / 100.0 + " °C");
        }
        int spread = spread(kept);
        int celsius = median(kept) + rules.offsetCentiCelsius();
        if (spread > rules.maxSpreadCentiCelsius()) {
            return TemperatureResult.of(TemperatureResult.Kind.RETEST, celsius, ambient, kept.size(), spread,
                    "unstable: samples spread " + spread / 100.0 + " °C, more than " + rules.maxSpreadCentiCelsius() / 100.0);
        }
        if (ambient < rules.ambientMinCentiCelsius() || ambient > rules.ambientMaxCentiCelsius()) {
            return TemperatureResult.of(TemperatureResult.Kind.OUT_OF_ENVELOPE, celsius, ambient, kept.size(), spread,
                    "ambient " + ambient / 100.0 + " °C outside " + rules.ambientMinCentiCelsius() / 100.0 + " to "
                            + rules.ambientMaxCentiCelsius() / 100.0 + " °C");
        }
        if (celsius < FOREHEAD_MIN_CENTI_CELSIUS || celsius > FOREHEAD_MAX_CENTI_CELSIUS) {
            return TemperatureResult.of(TemperatureResult.Kind.RETEST, celsius, ambient, kept.size(), spread,
                    "no forehead in view: " + celsius / 100.0 + " °C");
        }
        TemperatureResult.Kind kind = celsius >= rules.feverCentiCelsius()
                ? TemperatureResult.Kind.FEVER : TemperatureResult.Kind.NORMAL;
        return TemperatureResult.of(kind, celsius, ambient, kept.size(), spread, "");
    }

    private static int spread(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).max().orElseThrow()
                - values.stream().mapToInt(Integer::intValue).min().orElseThrow();
    }

    /** The median in hundredths; the mean of the middle two (rounded down) for an even count. */
    static int median(List<Integer> values) {
        List<Integer> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : Math.floorDiv(sorted.get(n / 2 - 1) + sorted.get(n / 2), 2);
    }
}
