package ckp.drivers.thermometer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Pi4J adapter's framing on a fake bus that tells a combined write-read (repeated start) from a write and a
 * separate read: the MLX90614 answers only the first, so a driver using Pi4J's {@code writeRead} reads 0xFF.
 */
class Pi4jSmbusTest {
    private static final byte[] WORD_0x3AD2 = {(byte) 0xD2, 0x3A, (byte) Pec.ofRead(0x5A, 0x07, 0xD2, 0x3A)};

    private final RepeatedStartI2CProvider bus = new RepeatedStartI2CProvider();
    private final Context pi4j = Pi4J.newContextBuilder().noAutoDetect().add(bus).build();

    @AfterEach
    void shutdown() {
        pi4j.shutdown();
    }

    @Test
    void aReadWordIsOneCombinedTransferWithARepeatedStartAndReturnsTheBytesInBusOrder() throws IOException {
        bus.words.put(0x07, WORD_0x3AD2);
        Pi4jSmbus link = new Pi4jSmbus(pi4j, MockI2CProvider.ID, 1, 0x5A);
        assertArrayEquals(WORD_0x3AD2, link.readWord(0x07), "LSB, MSB, PEC as they came off the bus");
        assertEquals(List.of("S W 07 Sr R 3 P"), bus.transactions, "command and read joined by a repeated start");
        assertEquals(0x3AD2, new Mlx90614(link, new VirtualTicker()).read(0x07).value());
    }

    @Test
    void theFakeBusAnswersNothingToAReadThatFollowsAStop() throws IOException {
        // The fault the adapter's comment warns about, done on purpose: Pi4J's writeRead puts a stop in between.
        bus.words.put(0x07, WORD_0x3AD2);
        new Pi4jSmbus(pi4j, MockI2CProvider.ID, 1, 0x5A).readWord(0x07); // opens the device
        I2C device = pi4j.registry().get("mlx90614-1-5a");
        bus.transactions.clear();
        byte[] read = new byte[3];
        device.writeRead(new byte[] {0x07}, read);
        assertEquals(List.of("S W 07 P", "S R 3 P"), bus.transactions, "a write, a stop, then a read of its own");
        assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, read, "released lines, not the word");

        // So a link that read that way would fail the PEC check on every try: the fake catches the fault.
        SmbusLink stopBetween = new SmbusLink() {
            @Override
            public byte[] readWord(int command) {
                byte[] b = new byte[3];
                device.writeRead(new byte[] {(byte) command}, b);
                return b;
            }

            @Override
            public void writeWord(int command, byte[] lsbMsbPec) {
                throw new UnsupportedOperationException();
            }

            @Override
            public int address() {
                return 0x5A;
            }

            @Override
            public void close() {
            }
        };
        Mlx90614.Word word = new Mlx90614(stopBetween, new VirtualTicker()).read(0x07);
        assertEquals(Mlx90614.Word.Status.PEC_ERROR, word.status(), word.toString());
    }

    @Test
    void aWriteWordPutsLsbMsbAndPecBehindTheCommandInOneTransfer() throws IOException {
        Pi4jSmbus link = new Pi4jSmbus(pi4j, MockI2CProvider.ID, 1, 0x5A);
        new Mlx90614(link, new VirtualTicker()).write(0x22, 0xC807);
        assertEquals(List.of("S W 22 07 c8 48 P"), bus.transactions);
        assertTrue(bus.transactions.stream().noneMatch(t -> t.startsWith("S R")),
                "no read ever follows a stop: " + bus.transactions);
    }
}
