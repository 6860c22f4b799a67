package ckp.drivers.lane;

import java.io.PrintStream;
import java.time.Duration;

/** The simulated lane: lights, beeps and barrier movements printed as text lines, for the demo and tests. */
final class ConsoleLaneOutputs implements LaneOutputs {
    private final PrintStream out;

    ConsoleLaneOutputs(PrintStream out) {
        this.out = out;
        print("light OUT_OF_SERVICE, barrier closed (starting)");
    }

    @Override
    public void light(Light light) {
        print("light " + light);
    }

    @Override
    public void beep(Duration duration) {
        print("beep " + duration.toMillis() + " ms");
    }

    @Override
    public void openBarrier(Duration duration) {
        print("barrier open " + duration.toMillis() + " ms");
    }

    @Override
    public void close() {
        print("light OUT_OF_SERVICE, barrier closed (stopped)");
    }

    private void print(String line) {
        synchronized (out) {
            out.println("[lane] " + line);
            out.flush();
        }
    }
}
