package ckp.kiosk.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The pass parsers under random and mutated input. 120,000 cases by default; {@code kiosk/bin/fuzz-passes CASES [SEED]}
 * sets {@code ckp.fuzz.cases} and {@code ckp.fuzz.seed} for longer runs.
 */
class PassFuzzTest {

    @Test
    void randomAndMutatedInputsGiveOutcomesNeverExceptionsOrFalseAccepts() {
        long cases = Long.getLong("ckp.fuzz.cases", 120_000);
        long seed = Long.getLong("ckp.fuzz.seed", 20261129L);
        long t0 = System.nanoTime();
        PassFuzzer.Report report = new PassFuzzer(seed).run(cases);
        System.out.printf("fuzz: %d cases %s, seed %d, %.1f s, %d failure(s)%n", report.cases(), report.casesByKind(),
                seed, (System.nanoTime() - t0) / 1e9, report.failures().size());
        report.failures().forEach(f -> System.out.println("fuzz failure: " + f));
        assertTrue(report.cases() >= cases - 1, "ran " + report.cases());
        assertEquals(java.util.List.of(), report.failures(), "seed " + seed);
    }
}
