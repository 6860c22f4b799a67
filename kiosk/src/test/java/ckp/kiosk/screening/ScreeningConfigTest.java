package ckp.kiosk.screening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.drivers.thermometer.SimulatedFault;
import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScreeningConfigTest {

    private static ConfigException refused(String key, String value) {
        return assertThrows(ConfigException.class, () -> ScreeningConfig.from(new Settings(
                Map.of("thermometer.type", "mlx90614", key, value), ScreeningConfig.KEYS, null)));
    }

    @Test
    void theDefaultsAreAOneSecondWindowAtEightHertzInASixteenToThirtyTwoDegreeEnvelope() {
        ScreeningConfig c = ScreeningRules.with();
        assertEquals(Duration.ofSeconds(1), c.window());
        assertEquals(8, c.samplesPerWindow());
        assertEquals(Duration.ofMillis(125), c.samplePeriod());
        assertEquals(1600, c.ambientMinCentiCelsius());
        assertEquals(3200, c.ambientMaxCentiCelsius());
        assertEquals(3730, c.feverCentiCelsius());
        assertEquals(50, c.maxSpreadCentiCelsius());
        assertEquals(List.of(SimulatedFault.NONE), ((ThermometerChoice.Simulated) c.thermometer()).faults());
        ThermometerChoice.Mlx90614 mlx = (ThermometerChoice.Mlx90614) ScreeningRules.with("thermometer.type",
                "mlx90614").thermometer();
        assertEquals(0x5A, mlx.i2cAddress());
        assertEquals(1, mlx.i2cBus());
    }

    @Test
    void simulatedFaultsAndAHexOrDecimalAddressAreRead() {
        ScreeningConfig c = ScreeningRules.with("thermometer.sim.faults", "none, pec,disconnect",
                "screening.offset.celsius", "-0.25");
        assertEquals(List.of(SimulatedFault.NONE, SimulatedFault.PEC, SimulatedFault.DISCONNECT),
                ((ThermometerChoice.Simulated) c.thermometer()).faults());
        assertEquals(-25, c.offsetCentiCelsius());
        assertEquals(new ThermometerChoice.Mlx90614(1, 0x5B), ScreeningRules.with("thermometer.type", "mlx90614",
                "thermometer.i2c.address", "0x5b").thermometer());
        assertEquals(new ThermometerChoice.Mlx90614(1, 90), ScreeningRules.with("thermometer.type", "mlx90614",
                "thermometer.i2c.address", "90").thermometer());
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertEquals("screening.fever.celsius", refused("screening.fever.celsius", "37.35").key());
        assertEquals("screening.fever.celsius", refused("screening.fever.celsius", "33.9").key());
        assertEquals("thermometer.sim.faults", refused("thermometer.sim.faults", "none,smoke").key());
        assertEquals("thermometer.i2c.address", refused("thermometer.i2c.address", "0x80").key());
        assertEquals("screening.rate.hz", refused("screening.rate.hz", "0").key());
        assertEquals("screening.offset.celsius", refused("screening.offset.celsius", "0.005").key());
        ConfigException e = refused("screening.ambient.max.celsius", "10");
        assertEquals("screening.ambient.max.celsius", e.key());
        assertTrue(e.getMessage().contains("screening.ambient.min.celsius"), e.getMessage());
    }
}
