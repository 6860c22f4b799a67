package ckp.provisioning.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class I2cScanTest {
    @Test
    void theThermometerAt0x5aIsFoundInI2cdetectsTable() {
        String scan = """
                     0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f
                00:                         -- -- -- -- -- -- -- --\s
                10: -- -- -- -- -- -- -- -- -- -- -- -- -- -- -- --\s
                20: -- -- -- -- -- -- -- -- -- -- -- -- -- -- -- --\s
                30: -- -- -- -- -- -- -- -- -- -- -- -- -- -- -- --\s
                40: -- -- -- -- -- -- -- -- -- -- -- -- -- -- -- --\s
                50: -- -- -- -- -- -- -- -- -- -- 5a -- -- -- -- --\s
                60: -- -- -- -- -- -- -- -- 68 -- -- -- -- -- -- --\s
                70: -- -- -- -- -- -- -- UU                        \s
                """;
        assertEquals(List.of("0x5a", "0x68", "0x77"), SelftestCommand.addresses(scan));
    }
}
