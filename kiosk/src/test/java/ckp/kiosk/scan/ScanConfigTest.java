package ckp.kiosk.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScanConfigTest {
    @Test
    void theDecodeBudgetDefaultsTo60MillisAndIsReadInMillis() throws ConfigException {
        assertEquals(Duration.ofMillis(60), ScanConfig.from(new Settings(Map.of(), ScanConfig.KEYS, Path.of("."))).decodeBudget());
        assertEquals(Duration.ofMillis(25),
                ScanConfig.from(new Settings(Map.of("scan.budget.ms", "25"), ScanConfig.KEYS, Path.of("."))).decodeBudget());
    }

    @Test
    void aBudgetOutOfRangeIsRefusedNamingTheKey() throws ConfigException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ScanConfig.from(new Settings(Map.of("scan.budget.ms", "-5"), ScanConfig.KEYS, Path.of("."))));
        assertEquals("scan.budget.ms", e.key());
    }
}
