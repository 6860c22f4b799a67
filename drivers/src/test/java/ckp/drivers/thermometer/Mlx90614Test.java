package ckp.drivers.thermometer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The datasheet's (Rev 13) vectors and the register-level protocol, against the byte-level simulator. */
class Mlx90614Test {
    private final VirtualTicker ticker = new VirtualTicker();
    private final SimulatedMlx90614 device = new SimulatedMlx90614(0x5A, ticker, 1);
    private final Mlx90614 sensor = new Mlx90614(device, ticker);

    @Test
    void theDatasheetReadFrameB4_07_B5_D2_3AHasPec0x30() {
        assertEquals(0x30, Pec.of(0xB4, 0x07, 0xB5, 0xD2, 0x3A));
        assertEquals(0x30, Pec.ofRead(0x5A, 0x07, 0xD2, 0x3A));
    }

    @Test
    void theDatasheetWriteFrameB4_22_07_C8HasPec0x48() {
        assertEquals(0x48, Pec.of(0xB4, 0x22, 0x07, 0xC8));
        assertEquals(0x48, Pec.ofWrite(0x5A, 0x22, 0x07, 0xC8));
    }

    @Test
    void theDatasheetSleepFrameB4_FFHasPec0xE8() {
        assertEquals(0xE8, Pec.of(0xB4, Mlx90614.SLEEP));
    }

    @Test
    void thePecDependsOnTheAddressSoAReplyFromAnotherDeviceFails() {
        assertTrue(Pec.ofRead(0x5B, 0x07, 0xD2, 0x3A) != 0x30);
    }

    @Test
    void rawWordsConvertToExactHundredthsOfADegree() {
        assertEquals(2801, Mlx90614.centiCelsius(0x3AD2));
        assertEquals(2875, Mlx90614.centiCelsius(0x3AF7));
        assertEquals(2877, Mlx90614.centiCelsius(0x3AF8));
        assertEquals(38219, Mlx90614.centiCelsius(0x7FFF));
    }

    @Test
    void theNegativeRowsFollowExactArithmeticNotTheDatasheetTable() {
        // The table prints -70.00 and -69.98; 0x27AD x 0.02 K = 203.14 K = -70.01 °C exactly.
        assertEquals(-7001, Mlx90614.centiCelsius(0x27AD));
        assertEquals(-6999, Mlx90614.centiCelsius(0x27AE));
    }

    @Test
    void bit15IsTheErrorFlag() {
        assertTrue(Mlx90614.errorFlag(0x8000 | 0x3AD2));
        assertFalse(Mlx90614.errorFlag(0x7FFF));
    }

    @Test
    void theSimulatorPutsTheDatasheetFrameOnTheBusLowByteFirst() throws IOException {
        device.scene(2801, 2500, 0);
        assertArrayEquals(new byte[] {(byte) 0xD2, 0x3A, 0x30}, device.readWord(Mlx90614.RAM_OBJECT1));
    }

    @Test
    void aGoodReadGivesTheWordAssembledLowByteFirst() {
        device.scene(2801, 2500, 0);
        Mlx90614.Word w = sensor.read(Mlx90614.RAM_OBJECT1);
        assertEquals(Mlx90614.Word.Status.OK, w.status());
        assertEquals(0x3AD2, w.value());
    }

    @Test
    void aSinglePecGlitchIsRetriedAndTheReadSucceeds() {
        device.scene(3661, 2400, 0);
        device.fault(SimulatedFault.GLITCH);
        Mlx90614.Word w = sensor.read(Mlx90614.RAM_OBJECT1);
        assertEquals(Mlx90614.Word.Status.OK, w.status());
        assertEquals(3661, Mlx90614.centiCelsius(w.value()));
        assertEquals(2, device.transfers());
    }

    @Test
    void aPersistentPecMismatchIsADistinctFaultAfterThreeAttempts() {
        device.scene(3660, 2400, 0);
        device.fault(SimulatedFault.PEC);
        Mlx90614.Word w = sensor.read(Mlx90614.RAM_OBJECT1);
        assertEquals(Mlx90614.Word.Status.PEC_ERROR, w.status());
        assertTrue(w.detail().contains("PEC mismatch reading 0x07"), w.detail());
        assertEquals(3, device.transfers());
    }

    @Test
    void noAcknowledgeIsABusFaultValueNotAnException() {
        device.fault(SimulatedFault.DISCONNECT);
        Mlx90614.Word w = sensor.read(Mlx90614.RAM_OBJECT1);
        assertEquals(Mlx90614.Word.Status.BUS_FAULT, w.status());
        assertTrue(w.detail().contains("no acknowledge"), w.detail());
    }

    @Test
    void emissivityIsErasedThenWrittenWithTenMillisecondWaitsAndReadBack() {
        assertEquals(0xFFFF, device.eeprom(Mlx90614.EEPROM_EMISSIVITY));
        assertEquals(Mlx90614.EepromWrite.VERIFIED, sensor.writeEmissivity(0.98));
        assertEquals(64224, device.eeprom(Mlx90614.EEPROM_EMISSIVITY));
        assertEquals(2, ticker.sleeps.size());
        assertTrue(ticker.sleeps.stream().allMatch(d -> d.compareTo(Duration.ofMillis(10)) >= 0), ticker.sleeps.toString());
    }

    @Test
    void writingWithoutTheEraseLeavesMixedBitsThatTheReadBackCatches() throws IOException {
        sensor.write(Mlx90614.EEPROM_EMISSIVITY, 64224);
        ticker.advance(Duration.ofMillis(20));
        assertEquals(0xFFFF, sensor.read(Mlx90614.EEPROM_EMISSIVITY).value());
    }

    @Test
    void anEepromWriteWithoutTheWaitIsNotAcknowledgedAndReportedAsABusFault() {
        ticker.frozen = true;
        assertEquals(Mlx90614.EepromWrite.BUS_FAULT, sensor.writeEmissivity(0.95));
    }

    @Test
    void aWriteWithAWrongPecIsIgnoredByTheDevice() throws IOException {
        device.writeWord(Mlx90614.EEPROM_EMISSIVITY, new byte[] {0, 0, 0x13});
        assertEquals(0xFFFF, device.eeprom(Mlx90614.EEPROM_EMISSIVITY));
        assertFalse(device.eepromWritten());
    }
}
