package ckp.drivers.thermometer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Pi4J adapter's framing, on Pi4J's mock I2C provider (register queues stand in for the device). */
class Pi4jSmbusTest {
    private final Context pi4j = Pi4J.newContextBuilder().noAutoDetect().add(MockI2CProvider.newInstance()).build();

    @AfterEach
    void shutdown() {
        pi4j.shutdown();
    }

    @Test
    void aReadWordReturnsTheThreeBytesInBusOrderLowByteFirstAndThePecLast() throws IOException {
        Pi4jSmbus link = new Pi4jSmbus(pi4j, MockI2CProvider.ID, 1, 0x5A);
        link.writeWord(0x07, new byte[] {(byte) 0xD2, 0x3A, 0x30});
        byte[] read = link.readWord(0x07);
        assertArrayEquals(new byte[] {(byte) 0xD2, 0x3A, 0x30}, read);
        Mlx90614 sensor = new Mlx90614(link, new VirtualTicker());
        link.writeWord(0x07, new byte[] {(byte) 0xD2, 0x3A, 0x30});
        assertEquals(0x3AD2, sensor.read(0x07).value());
    }

    @Test
    void aWriteWordPutsLsbMsbAndPecBehindTheCommand() throws IOException {
        Pi4jSmbus link = new Pi4jSmbus(pi4j, MockI2CProvider.ID, 1, 0x5A);
        new Mlx90614(link, new VirtualTicker()).write(0x22, 0xC807);
        I2C device = pi4j.registry().get("mlx90614-1-5a");
        byte[] written = new byte[3];
        device.readRegister(0x22, written, 0, 3);
        assertArrayEquals(new byte[] {0x07, (byte) 0xC8, 0x48}, written);
    }
}
